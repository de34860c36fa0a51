/*
  Search results land where the words are. Material lists each page's matching sections under an entry for
  the page itself; when the words are not in the page's opening text (the account: they are in one of its
  events), that first entry opens the top of a very long page with nothing highlighted. Point it at the
  page's best matching section instead, which Material lists right after it (with ?h= to highlight).
  Nothing else changes: the result lists are Material's own; this only rewrites one link's target.
*/
(function () {
  "use strict";
  function retarget(list) {
    list.querySelectorAll(".md-search-result__item").forEach(function (item) {
      var links = item.querySelectorAll(":scope > a.md-search-result__link");
      if (links.length < 2 || links[0].querySelector("mark")) return;
      links[0].href = links[1].href;
    });
  }
  function watch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list) return;
    new MutationObserver(function () { retarget(list); }).observe(list, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
