(function () {
  "use strict";
  var hash = new URLSearchParams(location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  var initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
  var app = document.getElementById("app");
  var auth = { Authorization: "tma " + initData };
  function pictures() {
    app.querySelectorAll("img[data-src]").forEach(function (img) {
      fetch(img.getAttribute("data-src"), { headers: auth, cache: "no-store" })
        .then(function (r) { return r.ok ? r.blob() : null; })
        .then(function (b) {
          if (b) { img.src = URL.createObjectURL(b); img.setAttribute("data-loaded", "1"); }
        });
    });
  }
  function load(path) {
    app.setAttribute("aria-busy", "true");
    return fetch("/staff/view" + path, { headers: auth, cache: "no-store" })
      .then(function (r) {
        return r.text().then(function (body) {
          if (r.ok) {
            app.className = "";
            app.innerHTML = body;
            pictures();
          } else {
            app.className = "refused";
            app.textContent = body;
          }
          app.setAttribute("data-view", path);
          app.setAttribute("data-status", String(r.status));
          app.removeAttribute("aria-busy");
        });
      })
      .catch(function () {
        app.textContent = document.body.getAttribute("data-offline");
        app.removeAttribute("aria-busy");
      });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-view]");
    if (!a) { return; }
    e.preventDefault();
    load(a.getAttribute("data-view"));
    window.scrollTo(0, 0);
  });
  document.addEventListener("change", function (e) {
    var form = e.target.closest("form[data-filters]");
    if (!form) { return; }
    var q = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v) { q.append(k, v); } });
    load("?" + q.toString());
  });
  document.addEventListener("submit", function (e) { e.preventDefault(); });
  if (tg) { tg.ready(); tg.expand(); }
  load(hash.get("view") || "");
})();
