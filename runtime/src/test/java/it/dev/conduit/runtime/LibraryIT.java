package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The public library endpoints on a real server: members of an organization served here and
 * applications browse and search it by text and category, page by page, and get each entry's logo
 * from the server itself; without valid credentials nobody does.
 */
class LibraryIT {

  static final String DAVE = basic("dave", "dave-demo-pw");
  static final String APP = basic("app-one-key", "app-one-secret");
  static final String LIB = "/api/v1/library";

  @Test
  void membersAndApplicationsSearchByTextAndNobodyElse() {
    Resp r = get(LIB + "/entries?q=wecom", DAVE);
    assertEquals(200, r.status(), r.body());
    assertEquals("wecom", r.json().at("/data/items/0/id").asString(), r.body());
    assertEquals("oauth2-client-credentials", r.json().at("/data/items/0/authType").asString());
    assertEquals(
        "/api/v1/library/entries/wecom/logo", r.json().at("/data/items/0/logo").asString());

    Resp app = get(LIB + "/entries?q=sms%20tencent", APP);
    assertEquals(200, app.status(), app.body());
    assertEquals("tencent-cloud-sms", app.json().at("/data/items/0/id").asString(), app.body());

    assertEquals(401, get(LIB + "/entries", null).status());
    assertEquals(401, get(LIB + "/entries", basic("dave", "not-his-password")).status());
    assertEquals(401, get(LIB + "/entries", basic("app-one-key", "wrong")).status());
    // (a person of no organization served here would be 403: every account of the test server
    // belongs to one)
  }

  @Test
  void aCategoryPagesThroughEveryEntryInItOnce() {
    Resp first = get(LIB + "/entries?category=messaging&size=2", DAVE);
    assertEquals(200, first.status(), first.body());
    int total = first.json().at("/data/total").asInt();
    assertTrue(total >= 5, "WeCom, DingTalk, Feishu and the SMS entries are messaging: " + total);
    assertEquals((total + 1) / 2, first.json().at("/data/pages").asInt());
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    for (int page = 1; page <= first.json().at("/data/pages").asInt(); page++) {
      Resp p = get(LIB + "/entries?category=Messaging&size=2&page=" + page, DAVE);
      for (JsonNode item : p.json().at("/data/items")) {
        assertTrue(seen.add(item.get("id").asString()), "no entry twice: " + item);
        boolean inCategory = false;
        for (JsonNode c : item.get("categories")) {
          inCategory |= c.asString().equalsIgnoreCase("messaging");
        }
        assertTrue(inCategory, item.toString());
        order.add(item.get("id").asString());
      }
    }
    assertEquals(total, seen.size(), order.toString());
    Resp categories = get(LIB + "/categories", DAVE);
    assertTrue(categories.body().contains("\"Messaging\""), categories.body());

    Resp bad = get(LIB + "/entries?size=1000&page=0", DAVE);
    assertEquals(400, bad.status());
    assertEquals("BAD_PAGE", bad.json().at("/error/code").asString());
    assertEquals(2, bad.json().at("/error/details").size(), bad.body());
  }

  @Test
  void anEntryShowsItsApisAndItsLogoComesFromTheServer() {
    Resp e = get(LIB + "/entries/aliyun-sms", DAVE);
    assertEquals(200, e.status(), e.body());
    assertEquals(3, e.json().at("/data/apis").size(), e.body());
    assertEquals("1.0.0", e.json().at("/data/versions/0").asString());
    assertEquals(404, get(LIB + "/entries/no-such-entry", DAVE).status());

    Resp own = get(LIB + "/entries/wecom/logo", DAVE);
    assertEquals(200, own.status());
    assertTrue(own.header("Content-Type").startsWith("image/svg+xml"), own.header("Content-Type"));
    assertTrue(own.body().contains(">WC</text>"), "the entry's own logo file: " + own.body());

    // adafruit's logo is an https URL: the server draws a monogram instead of fetching it
    Resp external = get(LIB + "/entries/adafruit/logo", DAVE);
    assertEquals(200, external.status());
    assertTrue(external.body().startsWith("<svg"), external.body());
    assertFalse(external.body().contains("twitter"), "nothing points outside: " + external.body());
  }
}
