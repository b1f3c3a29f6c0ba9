// Editing safety in the article editor (desk.views.editing_safety). The editor works without this
// file; it adds:
// - autosave: a few seconds after the last change, the form's fields go to the server as this
//   person's private draft (never a revision), and once more as the page is hidden or closed;
// - a warning before leaving while a change is not yet kept by the server;
// - presence: a heartbeat while the page is open, and the list of others editing it now;
// - on the merge page, "Keep mine" / "Keep theirs" without a round trip.
(function () {
  "use strict";

  const DEBOUNCE_MS = 2000;   // after the last keystroke...
  const MAX_WAIT_MS = 15000;  // ...but never longer than this while someone types without pausing
  // Browsers refuse keepalive requests over 64 KiB in flight; past that, an ordinary request
  // still works while the page stays open (and the leave warning has said what is at stake).
  const KEEPALIVE_LIMIT = 60000;

  function csrfToken(form) {
    const input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function syncEditors() {
    if (window.tinymce) window.tinymce.triggerSave();
  }

  const form = document.getElementById("article-form");
  if (form && form.dataset.autosaveUrl) setUpAutosave(form);
  if (form && form.dataset.presenceUrl) setUpPresence(form);
  const merge = document.getElementById("merge-form");
  if (merge) setUpMerge(merge);

  // --- Autosave and the leave warning ---------------------------------------------------------
  function setUpAutosave(form) {
    const status = form.querySelector("[data-autosave-status]");
    const failure = form.querySelector("[data-autosave-error]");
    let changed = form.hasAttribute("data-unsaved");  // a refused save: nothing of it is kept yet
    let kept = null;       // the fields the server last confirmed it keeps
    let inFlight = null;   // the fields being sent now
    let leaving = false;   // a save or a discard was submitted: autosave must not race it
    let timer = null;
    let firstPending = 0;

    // The draft's fields: everything but files (a draft keeps words; the save stores images).
    function fields() {
      syncEditors();
      const data = new FormData(form);
      const plain = new FormData();
      data.forEach(function (value, name) {
        if (!(value instanceof File)) plain.append(name, value);
      });
      return plain;
    }
    function fingerprint(data) {
      const parts = [];
      data.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") parts.push([name, value]); });
      return JSON.stringify(parts);
    }
    function unsaved() {
      return changed && !leaving && fingerprint(fields()) !== kept;
    }
    function say(text) { if (status && status.textContent !== text) status.textContent = text; }
    function fail(text) { if (failure && failure.textContent !== text) failure.textContent = text; }

    function schedule() {
      if (leaving) return;
      changed = true;
      say("Unsaved changes.");
      const now = Date.now();
      if (!firstPending) firstPending = now;
      clearTimeout(timer);
      const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstPending + MAX_WAIT_MS - now));
      timer = setTimeout(function () { autosave(false); }, wait);
    }

    // `urgent`: the page is being hidden or closed. The request is then sent with keepalive, so
    // it completes after the page is gone, and sent even if an ordinary one is out (the browser
    // cancels those as the page unloads).
    function autosave(urgent) {
      clearTimeout(timer);
      firstPending = 0;
      if (leaving || !changed) return;
      const data = fields();
      const print = fingerprint(data);
      if (print === kept || (print === inFlight && !urgent)) return;
      inFlight = print;
      say("Keeping your changes…");
      fetch(form.dataset.autosaveUrl, {
        method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" },
        keepalive: Boolean(urgent) && print.length < KEEPALIVE_LIMIT,
      })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (json) {
            if (response.ok) {
              kept = print;
              fail("");
              say(json.message || "Your changes are kept privately.");
            } else {
              fail(json.error || "Your changes could not be kept (" + response.status + "). Save the draft to keep them.");
              say("Unsaved changes.");
            }
          });
        })
        .catch(function () {
          fail("The server cannot be reached, so your latest changes are only on this page. Keep it open and save when you are back online.");
          say("Unsaved changes.");
        })
        .then(function () {
          if (inFlight === print) inFlight = null;
          // Typed while the request was out: that is kept at the next pause.
          if (!leaving && fingerprint(fields()) !== kept) schedule();
        });
    }

    // The page is going away, or into the background (a closed laptop may never come back).
    function flush() {
      if (unsaved()) autosave(true);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    if (window.tinymce) {
      const watch = function (editor) { editor.on("input change undo redo", schedule); };
      window.tinymce.on("AddEditor", function (event) { watch(event.editor); });
      (window.tinymce.get() || []).forEach(watch);
    }
    // Saving or discarding replaces the draft on the server: an autosave arriving after either
    // would bring back what was just saved or thrown away.
    function leave() { leaving = true; clearTimeout(timer); }
    form.addEventListener("submit", leave);
    document.querySelectorAll("form[data-editor-exit]").forEach(function (exit) {
      exit.addEventListener("submit", leave);
    });

    // The browser's own "Leave site?" prompt, only while a change is not yet kept by the server:
    // once the draft holds it, leaving loses nothing (it is restored on return), and a prompt on
    // every navigation would teach people to click it away. So it shows while an autosave is
    // pending, in flight, or refused, and never after Save.
    window.addEventListener("beforeunload", function (event) {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = "";
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);

    if (changed) autosave(false);
  }

  // --- Presence ------------------------------------------------------------------------------
  function setUpPresence(form) {
    const url = form.dataset.presenceUrl;
    const seconds = parseInt(form.dataset.heartbeatSeconds, 10) || 20;
    const box = document.querySelector("[data-presence]");
    let timer = null;

    function render(editors) {
      if (!box) return;
      const shown = Array.prototype.map.call(box.querySelectorAll("li"), function (item) { return item.textContent; });
      const wanted = editors.map(function (editor) {
        return editor.name + " has been editing this since " + editor.since_text + ".";
      });
      if (shown.join("\n") === wanted.join("\n")) return;  // a live region: rewrite only on change
      box.textContent = "";
      if (!editors.length) return;
      const list = document.createElement("ul");
      list.className = "presence-list";
      editors.forEach(function (editor) {
        const item = document.createElement("li");
        const name = document.createElement("strong");
        name.textContent = editor.name;
        const since = document.createElement("time");
        since.dateTime = editor.since;
        since.textContent = editor.since_text;
        item.append(name, " has been editing this since ", since, ".");
        list.append(item);
      });
      const help = document.createElement("p");
      help.className = "help";
      help.textContent = "Nothing is locked: if you both save, the second save is offered a merge of both versions.";
      box.append(list, help);
    }

    function beat() {
      clearTimeout(timer);
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (json) { if (json && Array.isArray(json.editing_now)) render(json.editing_now); })
        .catch(function () { /* the next beat tries again */ })
        .then(function () { timer = setTimeout(beat, seconds * 1000); });
    }

    window.addEventListener("pagehide", function () {
      clearTimeout(timer);
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      data.append("leaving", "1");
      if (navigator.sendBeacon) navigator.sendBeacon(url, data);
    });
    // Back from the browser's back-forward cache, or to a tab whose timers were slowed.
    window.addEventListener("pageshow", function (event) { if (event.persisted) beat(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") beat();
    });
    beat();
  }

  // --- Merge: "Keep mine" / "Keep theirs" in place --------------------------------------------
  // Without this the buttons submit the form, and the server answers with the same page and that
  // result replaced; here the result changes at once and nothing else on the page moves.
  function setUpMerge(merge) {
    let edited = false;
    let leaving = false;
    merge.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-take]");
      if (!button) return;
      const section = button.closest("[data-merge-field]");
      const source = section && section.querySelector("template[data-side='" + button.dataset.take + "']");
      const field = section && section.querySelector("textarea, input[type='text']");
      if (!source || !field) return;
      event.preventDefault();
      // The template holds the value as text (escaped by the server), HTML or not.
      const value = source.content.textContent;
      const editor = window.tinymce && window.tinymce.get(field.id);
      if (editor) {
        editor.setContent(value);
        editor.focus();
      } else {
        field.value = value;
        field.focus();
      }
      edited = true;
    });
    merge.addEventListener("input", function () { edited = true; });
    if (window.tinymce) {
      window.tinymce.on("AddEditor", function (event) {
        event.editor.on("input change undo redo", function () { edited = true; });
      });
    }
    merge.addEventListener("submit", function () { leaving = true; });
    // The merged result lives only on this page until it is saved (theirs and yours are both kept).
    window.addEventListener("beforeunload", function (event) {
      if (!edited || leaving) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }
})();
