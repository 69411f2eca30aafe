/* disclose — 站内搜索（查询端）。索引由 generator/search.py 生成，分片按需加载：
   search/manifest.js（分片数、筛选项）→ 每个查询词所在的 search/t/<n>.js → 结果页面的 search/p/<id>.js。
   每个文件都是一段调用 dcSearch.load(…) 的脚本：从磁盘（file://）打开时浏览器不许 fetch，却可以加载脚本。
   算法与 generator/search.py 的 query() 相同（测试比对两者）：词 = 每段文字的单字与相邻二字；
   候选页 = 各词所在小节的交集；再逐页核对原文确含所查文字，摘要从所查文字所在的单元格开始。 */
(function () {
  "use strict";
  var box = document.querySelector("[data-dc-search]");
  if (!box) return;
  var PAGE = 10;
  var MAX_TERMS = 12;
  var PAGE_BITS = 30;
  var FILTER = "\u0001", NAME = "\u0002";
  var SEPARATORS = " \t\n\r\f\v,;:!?\"'()[]{}、，。；：！？（）【】《》〈〉「」『』“”‘’·…";
  var input = box.querySelector("input[name=query]");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var selects = box.querySelectorAll("select[data-dc-filter]");
  var loaded = {}, waiting = {};
  var state = { base: new URL(box.getAttribute("data-dc-search"), location.href), manifest: null };
  var run = 0;

  window.dcSearch = {
    load: function (kind, key, value) {
      var id = kind + key;
      loaded[id] = value;
      if (waiting[id]) waiting[id].resolve(value);
    }
  };

  function load(kind, key, path) {
    var id = kind + key;
    if (loaded[id] !== undefined) return Promise.resolve(loaded[id]);
    if (waiting[id]) return waiting[id].promise;
    var pending = {};
    pending.promise = new Promise(function (resolve, reject) {
      pending.resolve = resolve;
      var script = document.createElement("script");
      script.src = new URL(path, state.base).href;
      script.onerror = function () { delete waiting[id]; reject(new Error(path)); };
      document.head.appendChild(script);
    });
    waiting[id] = pending;
    return pending.promise;
  }

  function manifest() {
    if (state.manifest) return state.manifest;
    state.manifest = load("m", 0, "manifest.js").then(function (m) {
      if (!m.root) return m;
      /* 年度站点：索引是门户的，manifest 只指向那里 */
      state.base = new URL(m.root, new URL("../", state.base));  /* root 相对于本站点的根 */
      delete loaded.m0;
      delete waiting.m0;
      return load("m", 0, "manifest.js");
    });
    return state.manifest;
  }

  /* ---- 词：与 search.py 的 fold / runs / query_terms / shard_of 相同 ---- */
  function fold(text) {
    var out = "";
    for (var ch of text) {
      var code = ch.charCodeAt(0);
      if (code >= 0xFF01 && code <= 0xFF5E) ch = String.fromCharCode(code - 0xFEE0);
      else if (/^\s$/.test(ch)) ch = " ";
      if (ch >= "A" && ch <= "Z") ch = ch.toLowerCase();
      out += ch;
    }
    return out;
  }

  function runs(folded) {
    var found = [], current = "";
    for (var ch of folded) {
      if (SEPARATORS.indexOf(ch) >= 0) {
        if (current) found.push(current);
        current = "";
      } else current += ch;
    }
    if (current) found.push(current);
    return found;
  }

  function queryTerms(query) {
    var terms = [];
    runs(fold(query)).forEach(function (r) {
      var chars = Array.from(r), grams = [];
      if (chars.length === 1) grams.push(r);
      for (var i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1]);
      grams.forEach(function (g) { if (terms.indexOf(g) < 0) terms.push(g); });
    });
    if (terms.length > MAX_TERMS) {
      var step = (terms.length - 1) / (MAX_TERMS - 1), spread = [];
      for (var i = 0; i < MAX_TERMS; i++) spread.push(terms[pyRound(i * step)]);
      terms = spread;
    }
    return terms;
  }

  function pyRound(x) {  /* Python 的 round：恰在 .5 时取偶数 */
    var r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }

  function normalQuery(query) { return fold(query).split(" ").filter(Boolean).join(" "); }

  function shardOf(term, shards) {
    var h = 0x811C9DC5;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function posting(m, term) {
    var n = shardOf(term, m.shards);
    return load("t", n, "t/" + n + ".js").then(function (shard) {
      var found = new Map(), last = 0, encoded = shard[term] || "";
      if (encoded) encoded.split(",").forEach(function (item) {
        var dot = item.indexOf(".");
        last += parseInt(dot < 0 ? item : item.slice(0, dot), 36);
        found.set(last, dot < 0 ? 1 : parseInt(item.slice(dot + 1), 36));
      });
      return found;
    });
  }

  function candidates(m, query, filters) {
    var terms = queryTerms(query);
    if (!terms.length) return Promise.resolve([]);
    var wanted = terms.concat(filters.map(function (f) { return FILTER + f; }));
    return Promise.all(wanted.map(function (t) { return posting(m, t); }).concat(
      [posting(m, NAME + normalQuery(query))])).then(function (lists) {
      var exact = lists.pop();
      lists.sort(function (a, b) { return a.size - b.size; });
      var found = new Map(lists[0]);
      lists.slice(1).forEach(function (other) {
        var next = new Map();
        found.forEach(function (mask, pid) {
          var both = other.has(pid) ? mask & other.get(pid) : 0;
          if (both) next.set(pid, both);
        });
        found = next;
      });
      var ranked = Array.from(found.entries());
      ranked.sort(function (a, b) {
        return (exact.has(b[0]) - exact.has(a[0])) || ((b[1] & 1) - (a[1] & 1)) || (a[0] - b[0]);
      });
      return ranked;
    });
  }

  function snippet(text, q, width) {
    width = width || 100;
    var at = fold(text).indexOf(q), cell = text.lastIndexOf("\n", at) + 1, start = cell;
    if (at - cell > Math.floor(width * 4 / 5)) {
      var near = -1, from = at - Math.floor(width / 3);
      for (var i = at - 1; i >= Math.max(from, 0); i--) {
        if (SEPARATORS.indexOf(text.charAt(i)) >= 0) { near = i; break; }
      }
      start = near >= 0 ? near + 1 : from;
    }
    while (start < at && SEPARATORS.indexOf(text.charAt(start)) >= 0) start++;
    var end = text.indexOf("\n", at + q.length);
    end = end < 0 ? text.length : end;
    return text.slice(start, Math.min(end, Math.max(start + width, at + q.length + Math.floor(width / 5))))
      .replace(/\n/g, "；");
  }

  function check(page, query, mask) {
    var q = normalQuery(query), matched = [];
    page.s.forEach(function (s, n) {
      if (!((mask >>> Math.min(n, PAGE_BITS - 1)) & 1)) return;
      var inText = fold(s[2]).indexOf(q) >= 0;
      if (inText || fold(s[1]).indexOf(q) >= 0) matched.push([s[0], s[1], inText ? snippet(s[2], q) : s[1]]);
    });
    return matched;
  }

  /* ---- 结果 ---- */
  function marked(tag, className, text, q) {
    var el = document.createElement(tag), folded = fold(text), at = 0, hit;
    if (className) el.className = className;
    while (q && (hit = folded.indexOf(q, at)) >= 0) {
      el.appendChild(document.createTextNode(text.slice(at, hit)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(hit, hit + q.length);
      el.appendChild(mark);
      at = hit + q.length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  function link(href, article) {
    var a = document.createElement("a"), url = new URL(href);
    /* 从磁盘打开：指向文件夹的链接会列出文件夹，改指其 index.html（同 offline.js） */
    if (url.protocol === "file:" && url.pathname.slice(-1) === "/") url.pathname += "index.html";
    a.className = "md-search-result__link";
    a.href = url.href;
    a.appendChild(article);
    return a;
  }

  function item(page, sections, q) {
    var li = document.createElement("li"), site = new URL("../", state.base);
    li.className = "md-search-result__item";
    var head = document.createElement("article");
    head.className = "md-search-result__article md-search-result__article--document md-typeset";
    head.appendChild(marked("h1", "", page.t, q));
    if (page.y || page.k) {
      var about = document.createElement("p");
      about.className = "md-search-result__teaser dc-search-about";
      about.textContent = [page.y ? page.y + " 年度" : "", page.k].filter(Boolean).join(" · ");
      head.appendChild(about);
    }
    var own = sections.filter(function (s) { return !s[0]; })[0];
    if (own && own[2] !== page.t) head.appendChild(marked("p", "md-search-result__teaser", own[2], q));
    li.appendChild(link(new URL(page.u, site).href, head));
    sections.filter(function (s) { return s[0]; }).slice(0, 3).forEach(function (s) {
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      article.appendChild(marked("h2", "", s[1], q));
      if (s[2] !== s[1]) article.appendChild(marked("p", "md-search-result__teaser", s[2], q));
      li.appendChild(link(new URL(page.u + "#" + s[0], site).href, article));
    });
    return li;
  }

  function filters() {
    var chosen = [];
    selects.forEach(function (s) { if (s.value) chosen.push(s.getAttribute("data-dc-filter") + s.value); });
    return chosen;
  }

  function show(m, ranked, q, from, mine, shown) {
    var batch = ranked.slice(from, from + PAGE);
    return Promise.all(batch.map(function (pm) { return load("p", pm[0], "p/" + pm[0] + ".js"); })).then(function (pages) {
      if (mine !== run) return;
      pages.forEach(function (page, i) {
        var sections = check(page, q, batch[i][1]);
        if (sections.length) { list.appendChild(item(page, sections, normalQuery(q))); shown.count++; }
      });
      var rest = ranked.length - from - batch.length;
      if (rest > 0 && shown.count < from + PAGE) return show(m, ranked, q, from + PAGE, mine, shown);
      meta.textContent = rest > 0 ? "约 " + (shown.count + rest) + " 个页面，显示前 " + shown.count + " 个"
        : (shown.count ? "找到 " + shown.count + " 个页面" : "没有找到符合条件的结果");
      if (rest > 0) more(m, ranked, q, from + PAGE, mine, shown);
      box.setAttribute("data-dc-shown", q);  /* 本次查询的结果已全部显示（测试据此等待） */
    });
  }

  function more(m, ranked, q, from, mine, shown) {
    var li = document.createElement("li");
    li.className = "dc-search-more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = "显示更多结果";
    button.addEventListener("click", function () {
      li.remove();
      show(m, ranked, q, from, mine, shown);
    });
    li.appendChild(button);
    list.appendChild(li);
  }

  function search() {
    var q = input.value, mine = ++run;
    box.removeAttribute("data-dc-shown");
    if (!normalQuery(q)) {
      list.textContent = "";
      meta.textContent = "输入关键词开始搜索";
      return;
    }
    meta.textContent = "正在搜索……";
    manifest().then(function (m) {
      fillFilters(m);
      return candidates(m, q, filters()).then(function (ranked) {
        if (mine !== run) return;
        list.textContent = "";
        return show(m, ranked, q, 0, mine, { count: 0 });
      });
    }).catch(function () {
      if (mine === run) meta.textContent = "搜索索引无法加载";
    });
  }

  function fillFilters(m) {
    selects.forEach(function (s) {
      if (s.options.length > 1) return;
      var values = m[s.getAttribute("data-dc-values")] || [];
      values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = String(v);
        option.textContent = String(v) + (s.getAttribute("data-dc-filter") === "y" ? " 年度" : "");
        s.appendChild(option);
      });
      s.closest(".dc-search-filter").hidden = values.length < 2 && s.getAttribute("data-dc-filter") !== "l";
    });
  }

  var timer = 0;
  function later() { clearTimeout(timer); timer = setTimeout(search, 120); }
  input.addEventListener("input", later);
  input.addEventListener("keyup", later);  /* 输入法提交汉字时部分浏览器只发 keyup */
  selects.forEach(function (s) { s.addEventListener("change", search); });
  box.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a.md-search-result__link");
    if (first) first.click();
  });
  box.querySelector("form").addEventListener("reset", function () {
    setTimeout(search, 0);
    input.focus();
  });
  input.addEventListener("focus", function () {
    if (toggle && !toggle.checked) toggle.checked = true;
    manifest().then(fillFilters, function () {});
  });
  if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = list.querySelector("a.md-search-result__link");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.from(list.querySelectorAll("a.md-search-result__link"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < links.length) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at ? links[at - 1] : input).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey &&
               (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
