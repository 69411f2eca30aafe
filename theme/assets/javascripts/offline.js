/* disclose — 从磁盘（file://）打开网站时，把指向文件夹的链接（"2021/"、"../"）改为其 index.html。
   网站按目录地址（/2021/guangshui-ldbxj/）发布；在服务器上文件夹地址返回 index.html，
   从磁盘打开时浏览器却只列出文件夹内容。只在 file: 协议下改写，网上的地址保持不变，
   所以同一份文件（包括归档快照，其哈希不能因此改变）既可发布，也可离线浏览。 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function toIndex(anchor) {
    var href = anchor.getAttribute("href");
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") return;
    var url = new URL(href, location.href);
    if (url.protocol === "file:" && url.pathname.slice(-1) === "/") {
      url.pathname += "index.html";
      anchor.href = url.href;
    }
  }

  function fixAll(root) {
    var anchors = root.querySelectorAll("a[href]");
    for (var i = 0; i < anchors.length; i++) toIndex(anchors[i]);
  }

  /* 搜索结果等后来插入的链接：点击时再改写一次 */
  document.addEventListener("click", function (event) {
    var anchor = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (anchor) toIndex(anchor);
  }, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { fixAll(document); });
  } else {
    fixAll(document);
  }
})();
