// Filters for the findings list and "show in context" navigation. No network, no libraries.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  if (form) {
    var outlet = document.getElementById("f-outlet");
    var score = document.getElementById("f-score");
    var scoreOut = document.getElementById("f-score-out");
    var search = document.getElementById("f-search");
    var status = document.getElementById("f-status");
    var none = document.getElementById("f-none");
    var more = document.getElementById("more-findings");
    var moreMatch = more ? more.querySelector(".fold-match") : null;
    var kindBoxes = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
    var apply = function () {
      var kinds = {};
      kindBoxes.forEach(function (box) { if (box.checked) { kinds[box.value] = true; } });
      var wanted = outlet.value;
      var minimum = Number(score.value) / 100;
      var query = search.value.trim().toLowerCase();
      var shown = 0;
      var folded = 0;
      scoreOut.textContent = score.value + "%";
      cards.forEach(function (card) {
        var ok = kinds[card.getAttribute("data-kind")] === true &&
          (wanted === "" || card.getAttribute("data-outlets").split(" ").indexOf(wanted) >= 0) &&
          Number(card.getAttribute("data-score")) >= minimum - 1e-9 &&
          (query === "" || card.textContent.toLowerCase().indexOf(query) >= 0);
        card.hidden = !ok;
        if (ok) {
          shown += 1;
          if (more && more.contains(card)) { folded += 1; }
        }
      });
      var filtered = shown < cards.length;
      status.textContent = shown + " of " + cards.length + " findings shown" +
        (folded && !more.open ? " (" + folded + " of them under \u201cShow more\u201d)" : "");
      if (moreMatch) { moreMatch.textContent = filtered ? "\u2014 " + folded + " match the filters" : ""; }
      // A search should find folded findings too: open the fold when it holds matches.
      if (more && query !== "" && folded > 0) { more.open = true; }
      none.hidden = shown > 0 || cards.length === 0;
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (more) { more.addEventListener("toggle", apply); }
    form.hidden = false;
    apply();
  }

  // Open the collapsed article (or cluster) holding the target, then bring it into view.
  var reveal = function () {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) { return; }
    var box = target.closest("details");
    while (box) { box.open = true; box = box.parentElement.closest("details"); }
    document.querySelectorAll(".flash").forEach(function (el) { el.classList.remove("flash"); });
    target.classList.add("flash");
    target.scrollIntoView({ block: "center" });
  };
  window.addEventListener("hashchange", reveal);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link && link.getAttribute("href") === window.location.hash) { window.setTimeout(reveal, 0); }
  });
  reveal();

  // Print everything: open every collapsed section, restore afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
