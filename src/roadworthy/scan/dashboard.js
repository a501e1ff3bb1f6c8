// Sorting, filtering and drill-down of the scan table. The view is mirrored in the address
// (#sort=errors&dir=desc&q=fraud&status=error&open=all) so a link shows the same view.
(function () {
  "use strict";
  var table = document.getElementById("repos");
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var shown = document.getElementById("shown");
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = { sort: "", dir: "asc", q: "", status: "", open: "" };

  function bodies() { return Array.prototype.slice.call(table.tBodies); }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(state).forEach(function (k) { state[k] = params.get(k) || ""; });
    if (state.dir !== "desc") { state.dir = "asc"; }
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (k) {
      if (state[k] && !(k === "dir" && state[k] === "asc")) { params.set(k, state[k]); }
    });
    try { history.replaceState(null, "", "#" + params.toString()); } catch (e) { /* file:// */ }
  }

  function value(body, col, type) {
    var cell = body.rows[0].cells[col];
    var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    return type === "text" ? raw.toLowerCase() : Number(raw);
  }

  function sort() {
    var col = heads.findIndex(function (th) { return th.getAttribute("data-key") === state.sort; });
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    var rows = bodies();
    if (col < 0) {
      rows.sort(function (a, b) { return a.getAttribute("data-i") - b.getAttribute("data-i"); });
    } else {
      var type = heads[col].getAttribute("data-type");
      var sign = state.dir === "desc" ? -1 : 1;
      heads[col].setAttribute("aria-sort", sign > 0 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = value(a, col, type), y = value(b, col, type);
        if (x < y) { return -sign; }
        if (x > y) { return sign; }
        return a.getAttribute("data-i") - b.getAttribute("data-i");
      });
    }
    rows.forEach(function (body) { table.appendChild(body); });
  }

  function applyFilter() {
    var q = state.q.toLowerCase(), count = 0;
    bodies().forEach(function (body) {
      var ok = (!q || body.getAttribute("data-search").indexOf(q) >= 0) &&
        (!state.status || body.getAttribute("data-status") === state.status);
      body.hidden = !ok;
      count += ok ? 1 : 0;
    });
    shown.textContent = count + " of " + bodies().length + " repositories shown";
  }

  function toggle(body, open) {
    var row = body.rows[0], drill = body.rows[1];
    var show = open === undefined ? drill.hidden : open;
    drill.hidden = !show;
    row.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function render() {
    filter.value = state.q;
    status.value = state.status;
    sort();
    applyFilter();
    if (state.open === "all") { bodies().forEach(function (b) { toggle(b, true); }); }
  }

  heads.forEach(function (th) {
    th.tabIndex = 0;
    function pick() {
      var key = th.getAttribute("data-key");
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      sort();
      writeHash();
    }
    th.addEventListener("click", pick);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(); } });
  });
  bodies().forEach(function (body) {
    var row = body.rows[0];
    row.addEventListener("click", function () { toggle(body); });
    row.addEventListener("keydown", function (e) { if (e.key === "Enter") { toggle(body); } });
  });
  filter.addEventListener("input", function () { state.q = filter.value; applyFilter(); writeHash(); });
  status.addEventListener("change", function () { state.status = status.value; applyFilter(); writeHash(); });
  window.addEventListener("hashchange", function () { readHash(); render(); });
  readHash();
  render();
  document.documentElement.setAttribute("data-ready", "true");
}());
