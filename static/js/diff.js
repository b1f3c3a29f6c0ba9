// The diff toolbar (templates/partials/_diff.html): previous/next change, and the switch between
// the inline and the side-by-side view, remembered in localStorage. Without this script the page
// shows the inline view and no controls.
(function () {
  "use strict";
  const STORAGE_KEY = "cms.diff.mode";

  function storedMode() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "side" ? "side" : "inline"; } catch (e) { return "inline"; }
  }

  function setUp(root) {
    const controls = root.querySelector("[data-diff-controls]");
    const position = root.querySelector("[data-diff-position]");
    const modeButtons = Array.from(root.querySelectorAll("[data-diff-mode]"));
    let current = -1;
    let shown = null;

    function mode() { return root.dataset.mode === "side" ? "side" : "inline"; }

    function setMode(value, remember) {
      if (value === "side") { root.dataset.mode = "side"; } else { delete root.dataset.mode; }
      modeButtons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.diffMode === value));
      });
      if (remember) {
        try { window.localStorage.setItem(STORAGE_KEY, value); } catch (e) { /* private mode: not remembered */ }
      }
      if (current >= 0) { show(current, false); }
    }

    // Each change once, in reading order: the inline view holds every change's first mark.
    function changes() { return Array.from(root.querySelectorAll(".diff-inline [data-change]")); }

    // The same change in the view on screen: side by side, its first mark in the old or new column.
    function target(mark) {
      if (mode() === "inline") { return mark; }
      const rows = mark.closest(".diff-rows");
      const number = mark.dataset.change;
      return rows.querySelector('.diff-old [data-change="' + number + '"], .diff-new [data-change="' + number + '"]') || mark;
    }

    function show(index, focus) {
      const list = changes();
      if (!list.length) { return; }
      current = index;
      const element = target(list[index]);
      if (shown) { shown.classList.remove("diff-current"); }
      element.classList.add("diff-current");
      shown = element;
      if (focus) {
        element.setAttribute("tabindex", "-1");
        element.scrollIntoView({ block: "center", behavior: "smooth" });
        element.focus({ preventScroll: true });
      }
      const field = list[index].closest("[data-section]");
      const heading = field && field.querySelector("h3");
      const label = heading ? " (" + heading.firstChild.textContent.trim() + ")" : "";
      if (position) { position.textContent = "Change " + (index + 1) + " of " + list.length + label; }
    }

    root.querySelectorAll("[data-diff-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        const list = changes();
        if (!list.length) { return; }
        const step = Number(button.dataset.diffStep);
        const next = current < 0 ? (step > 0 ? 0 : list.length - 1) : (current + step + list.length) % list.length;
        show(next, true);
      });
    });
    modeButtons.forEach(function (button) {
      button.addEventListener("click", function () { setMode(button.dataset.diffMode, true); });
    });
    setMode(storedMode(), false);
    if (controls) { controls.hidden = false; }
  }

  function start() { document.querySelectorAll("[data-diff]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
