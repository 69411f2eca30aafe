/* disclose — 为年度列表表格启用排序（tablesort，已随站点本地提供）；较宽的表格提示可左右滑动 */
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

  /* 表格比屏幕宽时（手机上的指标矩阵、资金表），在表格上方显示“左右滑动查看”，并在还有内容的一侧边缘淡出
     （dc-scroll-left / dc-scroll-right，见 disclose.css）。放得下时两者都不出现。 */
  function updateScrollHint(wrap, hint) {
    var room = wrap.scrollWidth - wrap.clientWidth;
    var overflows = room > 1;
    hint.hidden = !overflows;
    wrap.classList.toggle("dc-scroll-left", overflows && wrap.scrollLeft > 1);
    wrap.classList.toggle("dc-scroll-right", overflows && wrap.scrollLeft < room - 1);
  }

  function initScrollHints(root) {
    var wraps = (root || document).querySelectorAll(".md-typeset .dc-table-wrap");
    var observer = typeof window.ResizeObserver === "function" ? new window.ResizeObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) entries[i].target.dcUpdate();
    }) : null;
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.dcUpdate) continue;
      var hint = document.createElement("p");
      hint.className = "dc-scroll-hint";
      hint.textContent = "表格较宽，可左右滑动查看 →";
      hint.hidden = true;
      wrap.parentNode.insertBefore(hint, wrap);
      wrap.dcUpdate = updateScrollHint.bind(null, wrap, hint);
      wrap.addEventListener("scroll", wrap.dcUpdate, {passive: true});
      if (observer) observer.observe(wrap);
      else window.addEventListener("resize", wrap.dcUpdate);
      wrap.dcUpdate();
    }
  }

  function init() {
    initSortable(document);
    initScrollHints(document);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    /* Material 的 document$ 在首次加载及 navigation.instant 换页后都会触发 */
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
