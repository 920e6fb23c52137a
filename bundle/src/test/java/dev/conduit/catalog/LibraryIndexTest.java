package dev.conduit.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The library index's search: every word, categories, ranking; and its file format. */
class LibraryIndexTest {

  static LibraryIndex.Entry entry(String id, String name, List<String> categories, String api) {
    return new LibraryIndex.Entry(
        id,
        "1.0.0",
        List.of("1.0.0"),
        name,
        name + " for teams.",
        categories,
        "none",
        "logo.svg",
        null,
        "Conduit public library",
        List.of(new LibraryIndex.Api("a", api, "")));
  }

  static final LibraryIndex INDEX =
      new LibraryIndex(
          LibraryIndex.FORMAT,
          List.of(
              entry("aliyun-sms", "Alibaba Cloud SMS", List.of("Messaging", "SMS"), "Send SMS"),
              entry("sms", "SMS", List.of("Messaging"), "Send"),
              entry("smsglobal", "SMSGlobal", List.of("Messaging"), "Send message"),
              entry("tencent-cloud-sms", "Tencent Cloud SMS", List.of("SMS"), "Pull receipts"),
              entry("wecom", "WeCom", List.of("Collaboration"), "Send application message")));

  @Test
  void everyWordMustMatchAndExactMatchesComeFirst() {
    assertEquals(
        List.of("sms", "aliyun-sms", "smsglobal", "tencent-cloud-sms"),
        INDEX.search("sms", null).stream().map(LibraryIndex.Entry::id).toList());
    assertEquals(
        List.of("tencent-cloud-sms"),
        INDEX.search("Tencent  sms", null).stream().map(LibraryIndex.Entry::id).toList());
    assertEquals(
        List.of("wecom"),
        INDEX.search("application message", null).stream().map(LibraryIndex.Entry::id).toList(),
        "API names are searched too");
    assertEquals(5, INDEX.search("", null).size());
  }

  @Test
  void aCategoryIsMatchedWholeAndWithoutCase() {
    assertEquals(
        List.of("aliyun-sms", "tencent-cloud-sms"),
        INDEX.search(null, "sms").stream().map(LibraryIndex.Entry::id).toList());
    assertEquals(List.of(), INDEX.search(null, "Messag"));
    assertEquals(List.of("Collaboration", "Messaging", "SMS"), INDEX.categories());
  }

  @Test
  void theFileRoundTripsAndAnythingElseIsRefusedByName() {
    assertEquals(INDEX, LibraryIndex.parse(INDEX.toJson()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LibraryIndex.parse("{\"format\":\"other/1\",\"entries\":[]}"));
    assertTrue(e.getMessage().contains("expected conduit-library-index/1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LibraryIndex.parse("[1,"));
  }
}
