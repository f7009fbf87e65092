// Filters for the findings list, reviewer verdicts, and "show in context" navigation.
// No network, no libraries.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var apply = function () {};

  // ---- Verdicts: marks per finding, kept in localStorage under the report's identity. ----
  var section = document.getElementById("findings");
  var bar = document.getElementById("review-bar");
  var MARKS = ["correct", "partly", "wrong"];
  var storageKey = section ? "crosscheck-verdicts:" + section.getAttribute("data-report-id") : "";
  var readStore = function () {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) { return {}; }
  };
  var store = readStore();
  var storageWorks = true;
  var save = function () {
    try { window.localStorage.setItem(storageKey, JSON.stringify(store)); } catch (error) { storageWorks = false; }
  };
  // The current mark of a card: this browser's, else one from an earlier review in the page.
  var markOf = function (card) {
    var own = store[card.getAttribute("data-key")];
    if (own) { return own; }
    var earlier = card.getAttribute("data-verdict");
    return earlier ? { verdict: earlier, note: card.getAttribute("data-note") || "",
                       time: card.getAttribute("data-time") || "" } : { verdict: "", note: "", time: "" };
  };
  var reviewStatus = document.getElementById("review-status");
  var reviewCount = document.getElementById("review-count");
  var say = function (text) { if (reviewStatus) { reviewStatus.textContent = text; } };
  var show = function (card) {
    var mark = markOf(card);
    card.setAttribute("data-review", mark.verdict || "unreviewed");
    card.querySelectorAll(".mark").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-mark") === mark.verdict));
    });
    var note = card.querySelector(".review-note");
    if (note && document.activeElement !== note) { note.value = mark.note || ""; }
  };
  var countReviewed = function () {
    var n = cards.filter(function (card) { return markOf(card).verdict; }).length;
    var total = document.getElementById("review-total");
    if (total) { total.textContent = String(cards.length); }
    if (reviewCount) { reviewCount.textContent = String(n); }
    return n;
  };
  var setMark = function (card, verdict, note) {
    var old = markOf(card);
    store[card.getAttribute("data-key")] = {
      verdict: verdict, note: note === undefined ? old.note || "" : note,
      time: new Date().toISOString() };
    save();
    // Twin findings (the same sentences carried by two outlets) share one verdict.
    cards.forEach(function (other) {
      if (other.getAttribute("data-key") === card.getAttribute("data-key")) { show(other); }
    });
    countReviewed();
    apply();
    say((card.getAttribute("data-id") || "finding") + ": " + (verdict ? "marked " + verdict : "verdict cleared") +
        (storageWorks ? "" : " (this browser does not keep marks: export before closing)"));
  };
  var current = null;
  var setCurrent = function (card, focus) {
    if (current) { current.classList.remove("current"); }
    current = card;
    if (!card) { return; }
    card.classList.add("current");
    var box = card.closest("details");
    while (box) { box.open = true; box = box.parentElement.closest("details"); }
    if (focus) { card.focus(); card.scrollIntoView({ block: "nearest" }); }
  };
  var step = function (direction) {
    var visible = cards.filter(function (card) { return !card.hidden; });
    if (!visible.length) { return; }
    var at = visible.indexOf(current);
    var next = at < 0 ? (direction > 0 ? 0 : visible.length - 1)
      : Math.min(visible.length - 1, Math.max(0, at + direction));
    setCurrent(visible[next], true);
  };
  var exportVerdicts = function () {
    var models = [];
    try { models = JSON.parse(section.getAttribute("data-models") || "[]"); } catch (error) { models = []; }
    var lines = [];
    var done = {};
    cards.forEach(function (card) {
      var mark = markOf(card);
      var key = card.getAttribute("data-key");
      if (!mark.verdict || done[key]) { return; }
      done[key] = true;
      var claims = [];
      try { claims = JSON.parse(card.getAttribute("data-claims") || "[]"); } catch (error) { claims = []; }
      var reason = card.querySelector(".reason");
      lines.push(JSON.stringify({
        story: section.getAttribute("data-story"), kind: card.getAttribute("data-kind"),
        verdict: mark.verdict, claims: claims, finding_id: card.getAttribute("data-id"),
        score: Number(card.getAttribute("data-score")), note: mark.note || "",
        tool_reason: reason ? reason.textContent : "", models: models,
        settings_id: section.getAttribute("data-settings-id"),
        report_id: section.getAttribute("data-report-id"), time: mark.time || "" }));
    });
    // A data: address, not a blob: the download never leaves the page.
    var text = lines.join("\n") + (lines.length ? "\n" : "");
    var link = document.createElement("a");
    var name = (section.getAttribute("data-story") || "story").toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
    link.href = "data:application/x-ndjson;charset=utf-8," + encodeURIComponent(text);
    link.download = "verdicts-" + (name.replace(/^-+|-+$/g, "").slice(0, 60) || "story") + ".jsonl";
    document.body.appendChild(link);
    link.click();
    link.remove();
    say("Exported " + lines.length + " verdicts to " + link.download);
  };
  if (section && bar) {
    cards.forEach(function (card) {
      var controls = card.querySelector(".review");
      if (!controls) { return; }
      controls.hidden = false;
      show(card);
      controls.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) { return; }
        setCurrent(card, false);
        if (button.classList.contains("mark-clear")) { setMark(card, ""); }
        else { setMark(card, button.getAttribute("data-mark")); }
      });
      var note = controls.querySelector(".review-note");
      note.addEventListener("change", function () { setMark(card, markOf(card).verdict, note.value); });
      note.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === "Escape") {
          event.preventDefault();
          if (note.value !== (markOf(card).note || "")) { setMark(card, markOf(card).verdict, note.value); }
          card.focus();
        }
      });
      card.addEventListener("focusin", function () { setCurrent(card, false); });
    });
    document.getElementById("export-verdicts").addEventListener("click", exportVerdicts);
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) { return; }
      var key = event.key;
      if (key === "j" || key === "k") { event.preventDefault(); step(key === "j" ? 1 : -1); return; }
      if (!current) { return; }
      var marks = { c: "correct", p: "partly", w: "wrong" };
      if (marks[key]) { event.preventDefault(); setMark(current, marks[key]); }
      else if (key === "x") { event.preventDefault(); setMark(current, ""); }
      else if (key === "n") { event.preventDefault(); current.querySelector(".review-note").focus(); }
    });
    bar.hidden = false;
    countReviewed();
  }
  if (form) {
    var outlet = document.getElementById("f-outlet");
    var score = document.getElementById("f-score");
    var scoreOut = document.getElementById("f-score-out");
    var search = document.getElementById("f-search");
    var status = document.getElementById("f-status");
    var none = document.getElementById("f-none");
    var review = document.getElementById("f-review");
    var more = document.getElementById("more-findings");
    var moreMatch = more ? more.querySelector(".fold-match") : null;
    var kindBoxes = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
    apply = function () {
      var kinds = {};
      kindBoxes.forEach(function (box) { if (box.checked) { kinds[box.value] = true; } });
      var wanted = outlet.value;
      var minimum = Number(score.value) / 100;
      var query = search.value.trim().toLowerCase();
      var reviewed = review ? review.value : "";
      var shown = 0;
      var folded = 0;
      scoreOut.textContent = score.value + "%";
      cards.forEach(function (card) {
        var ok = kinds[card.getAttribute("data-kind")] === true &&
          (wanted === "" || card.getAttribute("data-outlets").split(" ").indexOf(wanted) >= 0) &&
          Number(card.getAttribute("data-score")) >= minimum - 1e-9 &&
          (query === "" || card.textContent.toLowerCase().indexOf(query) >= 0) &&
          (reviewed === "" || (card.getAttribute("data-review") || "unreviewed") === reviewed);
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
