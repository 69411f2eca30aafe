/* disclose — 为年度列表表格启用排序（tablesort，已随站点本地提供） */
(function () {
  "use strict";

  function initSortable(root) {
    if (typeof window.Tablesort !== "function") return;
    var tables = (root || document).querySelectorAll("table.dc-year-table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.getAttribute("data-dc-sortable") === "1") continue;
      try {
        new window.Tablesort(table);
        table.setAttribute("data-dc-sortable", "1");
      } catch (e) {
        /* 表格结构不符合要求时保持原样，不影响阅读 */
      }
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    /* Material 的 document$ 在首次加载及 navigation.instant 换页后都会触发 */
    window.document$.subscribe(function () { initSortable(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initSortable(document); });
  } else {
    initSortable(document);
  }
})();
