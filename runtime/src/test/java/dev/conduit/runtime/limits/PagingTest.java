package dev.conduit.runtime.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a caller may type in ?page=, ?size=, ?limit=, ?offset=; every list reads them here. */
class PagingTest {

  @Test
  void absentMeansTheFirstPageOfTheDefaultSize() throws Exception {
    assertEquals(new Paging.Window(20, 0), Paging.pages(null, null, 20, 100));
    assertEquals(new Paging.Window(20, 40), Paging.pages("3", "", 20, 100));
    assertEquals(3, Paging.pageOf(Paging.pages("3", "", 20, 100)));
    assertEquals(new Paging.Window(50, 0), Paging.window(null, null, 50, 500));
    assertEquals(new Paging.Window(5, 10), Paging.window("5", "10", 50, 500));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|20|page",
        "-1|20|page",
        "abc|20|page",
        "1.5|20|page",
        "1e3|20|page",
        "99999999999999999999|20|page",
        "1|0|size",
        "1|101|size",
        "1|ten|size",
        "2147483647|100|page", // (page - 1) * size overflowed an int into a negative offset
        "10002|100|page" // past row 1,000,000
      })
  void aPageOutsideTheLimitsIsRefusedNamingTheParameter(String page, String size, String which) {
    Paging.BadPage b = assertThrows(Paging.BadPage.class, () -> Paging.pages(page, size, 20, 100));
    assertEquals(which, b.problems().get(0).parameter(), b.getMessage());
    assertTrue(b.getMessage().startsWith(which + " "), b.getMessage());
  }

  @Test
  void theDeepestPageIsAllowedAndOneMoreIsNot() throws Exception {
    assertEquals(1_000_000, Paging.pages("10001", "100", 20, 100).offset());
    assertThrows(Paging.BadPage.class, () -> Paging.pages("10002", "100", 20, 100));
  }

  @Test
  void everyProblemIsNamed() {
    Paging.BadPage b = assertThrows(Paging.BadPage.class, () -> Paging.pages("0", "1000", 20, 100));
    assertEquals(2, b.problems().size(), b.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"0|0|limit", "501|0|limit", "x|0|limit", "10|-1|offset", "10|1000001|offset"})
  void aWindowOutsideTheLimitsIsRefused(String limit, String offset, String which) {
    Paging.BadPage b =
        assertThrows(Paging.BadPage.class, () -> Paging.window(limit, offset, 50, 500));
    assertEquals(which, b.problems().get(0).parameter(), b.getMessage());
  }
}
