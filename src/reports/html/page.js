// Sorting and filtering of the findings table. Reads only the DOM; the
// filter comes from the input or from the address (#filter=QUERY).
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var input = document.getElementById("filter");
  var shownCount = document.getElementById("shown-count");
  var RANK = {
    severity: ["info", "low", "medium", "high", "critical"],
    confidence: ["low", "medium", "high"]
  };
  var COLUMNS = ["severity", "category", "rule", "confidence", "artifact"];

  // "severity>=high category:secret,config aws" as a list of tests.
  function parse(query) {
    return query.trim().split(/\s+/).filter(Boolean).map(function (word) {
      var m = /^([a-z]+)(:|>=)(.*)$/i.exec(word);
      var key = m && m[1].toLowerCase();
      if (m && COLUMNS.indexOf(key) >= 0) {
        var wanted = m[3].toLowerCase().split(",");
        if (m[2] === ">=" && RANK[key]) {
          var floor = RANK[key].indexOf(wanted[0]);
          return function (row) {
            return RANK[key].indexOf(row.getAttribute("data-" + key)) >= floor;
          };
        }
        return function (row) {
          var v = (row.getAttribute("data-" + key) || "").toLowerCase();
          return wanted.some(function (w) {
            return key === "artifact" ? v.indexOf(w) >= 0 : v === w;
          });
        };
      }
      var needle = word.toLowerCase();
      return function (row) {
        return row.textContent.toLowerCase().indexOf(needle) >= 0;
      };
    });
  }

  function apply(query) {
    var tests = parse(query);
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = tests.every(function (t) { return t(row); });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    shownCount.textContent = String(shown);
  }

  function fromAddress() {
    var m = /^#filter=(.*)$/.exec(window.location.hash);
    if (!m) {
      return null;
    }
    try {
      return decodeURIComponent(m[1].replace(/\+/g, " "));
    } catch (e) {
      return m[1];
    }
  }

  function load() {
    var query = fromAddress();
    if (query !== null) {
      input.value = query;
    }
    apply(input.value);
    if (query !== null && window.location.hash !== "#findings") {
      table.scrollIntoView();
    }
  }

  input.addEventListener("input", function () {
    apply(input.value);
    try {
      window.history.replaceState(null, "", "#filter=" + encodeURIComponent(input.value));
    } catch (e) {
      // Some browsers refuse to rewrite file:// addresses; the filter still applies.
    }
  });
  window.addEventListener("hashchange", load);

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.querySelector("button").addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") !== "descending";
      var numeric = th.getAttribute("data-type") === "num";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var key = function (row) {
        var cell = row.cells[column];
        var v = cell.getAttribute("data-sort");
        return v === null ? cell.textContent : v;
      };
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a);
        var y = key(b);
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return descending ? -c : c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  load();
})();
