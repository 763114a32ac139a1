// Almanac: click a column header to sort the tables that follow an `almanac-sortable` marker.
// Numbers sort as numbers ("2 of 3" and "+11 / −1" by their first number), the rest as text.
(function () {
  function key(cell) {
    var text = cell.textContent.trim();
    var number = text.match(/^[+\u2212-]?\d+(\.\d+)?/);
    return number ? parseFloat(number[0].replace("\u2212", "-")) : text.toLowerCase();
  }
  function sortable(table) {
    if (table.dataset.almanacSortable) return;
    table.dataset.almanacSortable = "1";
    table.querySelectorAll("thead th").forEach(function (header, column) {
      header.style.cursor = "pointer";
      header.title = "Sort";
      header.addEventListener("click", function () {
        var body = table.tBodies[0];
        var descending = header.dataset.order !== "desc";
        header.dataset.order = descending ? "desc" : "asc";
        Array.from(body.rows)
          .sort(function (a, b) {
            var x = key(a.cells[column]), y = key(b.cells[column]);
            var order = x < y ? -1 : x > y ? 1 : 0;
            return descending ? -order : order;
          })
          .forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function setup() {
    document.querySelectorAll(".almanac-sortable").forEach(function (marker) {
      var block = marker.closest("p") || marker;
      var next = block.nextElementSibling;
      var table = next && (next.tagName === "TABLE" ? next : next.querySelector("table"));
      if (table) sortable(table);
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);  // instant loading
  else document.addEventListener("DOMContentLoaded", setup);
})();
