// Review comments on the page: anchor a new comment to the selected passage, mark each comment's
// passage in the text, and send replies, answers and resolutions without leaving the page (so a
// half-filled checklist or an unsaved edit stays as typed). Every form also works without this file.
(function () {
  "use strict";

  // What is not the article's current text: deleted words, and what the diff adds to show the
  // reader's view (link targets, alt text labels, change labels).
  const NOT_TEXT = "del, .link-target, .diff-alt, .diff-missing, [data-annotation], .visually-hidden, .diff-field > h3, .diff-head, script, style";
  const BLOCKS = /^(P|LI|UL|OL|H[1-6]|TD|TH|TR|TABLE|THEAD|TBODY|FIGCAPTION|FIGURE|BLOCKQUOTE|DIV|SECTION|BR|IMG)$/;

  // The visible text of `root` as one string (whitespace squashed, a space at each block edge, as
  // reviews.comments.visible_text reads stored HTML), with the text node and offset of each character.
  function textMap(root) {
    const chars = [];
    const where = [];
    let pendingSpace = false;
    function push(ch, node, offset) {
      if (/\s/.test(ch)) {
        pendingSpace = chars.length > 0;
        return;
      }
      if (pendingSpace) {
        chars.push(" ");
        where.push([node, offset]);
        pendingSpace = false;
      }
      chars.push(ch);
      where.push([node, offset]);
    }
    function walk(node) {
      if (node.nodeType === Node.TEXT_NODE) {
        const value = node.nodeValue;
        for (let i = 0; i < value.length; i++) push(value[i], node, i);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches(NOT_TEXT)) return;
      // Only what is on screen: the diff holds an inline and a side-by-side rendering, one hidden.
      if (node.hidden || getComputedStyle(node).display === "none") return;
      const block = BLOCKS.test(node.tagName);
      if (block && chars.length) pendingSpace = true;
      node.childNodes.forEach(walk);
      if (block && chars.length) pendingSpace = true;
    }
    walk(root);
    return { text: chars.join(""), where: where };
  }

  function sectionOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest("[data-section]") : null;
  }

  function offsetIn(map, node, offset) {
    // The index in map.text of the first character at or after (node, offset).
    for (let i = 0; i < map.where.length; i++) {
      const [n, o] = map.where[i];
      if (n === node ? o >= offset : node.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return i;
      }
    }
    return map.where.length;
  }

  function contextScore(text, start, end, prefix, suffix) {
    let score = 0;
    for (let n = Math.min(prefix.length, start); n > 0; n--) {
      if (text.slice(start - n, start) === prefix.slice(-n)) { score += n; break; }
    }
    for (let n = Math.min(suffix.length, text.length - end); n > 0; n--) {
      if (text.slice(end, end + n) === suffix.slice(0, n)) { score += n; break; }
    }
    return score;
  }

  function locate(text, quote, prefix, suffix) {
    let best = -1, bestScore = -1, from = 0, at;
    while ((at = text.indexOf(quote, from)) >= 0) {
      const score = contextScore(text, at, at + quote.length, prefix, suffix);
      if (score > bestScore) { best = at; bestScore = score; }
      from = at + 1;
    }
    return best;
  }

  // Wrap map.text[start, end) in <mark> elements, one per text node it spans.
  function mark(map, start, end, commentId) {
    const marks = [];
    let i = start;
    while (i < end) {
      const node = map.where[i][0];
      let j = i;
      while (j < end && map.where[j][0] === node) j++;
      const first = map.where[i][1], last = map.where[j - 1][1] + 1;
      const range = document.createRange();
      range.setStart(node, first);
      range.setEnd(node, last);
      const element = document.createElement("mark");
      element.className = "comment-mark";
      element.dataset.commentMark = commentId;
      try { range.surroundContents(element); marks.push(element); } catch (e) { /* crosses an element */ }
      // The node was split: map positions after it now point into the new nodes, so re-map later calls.
      i = j;
    }
    return marks;
  }

  function highlight(comment) {
    const quote = comment.dataset.quote;
    if (!quote) return;
    document.querySelectorAll('[data-comment-mark="' + comment.dataset.comment + '"]').forEach(function (m) {
      m.replaceWith(...m.childNodes);
    });
    const sections = document.querySelectorAll('[data-annotatable] [data-section="' + comment.dataset.section + '"]');
    for (const section of sections) {
      const map = textMap(section);
      const at = locate(map.text, quote, comment.dataset.prefix || "", comment.dataset.suffix || "");
      if (at < 0) continue;
      const marks = mark(map, at, at + quote.length, comment.dataset.comment);
      if (marks.length) {
        marks[0].id = "passage-" + comment.dataset.comment;
        marks.forEach(function (m) {
          m.title = "Comment: " + comment.querySelector("p:not(.meta)").textContent.trim().slice(0, 120);
          m.addEventListener("click", function () { comment.scrollIntoView({ block: "center" }); comment.focus(); });
        });
      }
      return;
    }
  }

  function highlightAll() {
    document.querySelectorAll("[data-comment][data-quote]").forEach(function (comment) {
      if (!comment.classList.contains("comment-resolved")) highlight(comment);
    });
  }

  // --- A new comment on the selected passage (review page). ---
  const newForm = document.querySelector("[data-new-comment]");
  function field(name) { return newForm && newForm.querySelector('[name$="' + name + '"]'); }
  function setPassage(section, quote, prefix, suffix) {
    field("quote").value = quote;
    field("quote_prefix").value = prefix;
    field("quote_suffix").value = suffix;
    const shown = newForm.querySelector("[data-selected-passage]");
    shown.hidden = !quote;
    shown.querySelector("[data-passage-text]").textContent = quote;
    const select = field("section");
    if (section && select.querySelector('option[value="' + section + '"]')) select.value = section;
    else if (section) select.value = "general";
  }
  function takeSelection() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const section = sectionOf(range.startContainer);
    if (!section || section !== sectionOf(range.endContainer) || !section.closest("[data-annotatable]")) return;
    const map = textMap(section);
    const start = offsetIn(map, range.startContainer, range.startOffset);
    let end = offsetIn(map, range.endContainer, range.endOffset);
    const quote = map.text.slice(start, end).trim();
    if (!quote) return;
    setPassage(section.dataset.section, quote, map.text.slice(Math.max(0, start - 32), start),
               map.text.slice(end, end + 32));
  }
  if (newForm) {
    document.querySelectorAll("[data-annotatable]").forEach(function (area) {
      area.addEventListener("mouseup", function () { setTimeout(takeSelection, 0); });
      area.addEventListener("keyup", function (event) { if (event.shiftKey) takeSelection(); });
    });
    const clear = newForm.querySelector("[data-clear-passage]");
    if (clear) clear.addEventListener("click", function () { setPassage("", "", "", ""); });
  }

  // --- Send comment forms in the background and put the answer in place. ---
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);

  function showError(form, text) {
    let box = form.querySelector(".error-message");
    if (!box) {
      box = document.createElement("p");
      box.className = "error-message";
      form.prepend(box);
    }
    box.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-comment-form], [data-new-comment]")) return;
    event.preventDefault();
    const submitter = event.submitter;
    const url = (submitter && submitter.getAttribute("formaction")) || form.action;
    const data = new FormData(form);
    fetch(url, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response, body]; }); })
      .then(function ([response, body]) {
        if (!response.ok) { showError(form, body.error || "That did not work; nothing was saved."); return; }
        const holder = document.createElement("div");
        holder.innerHTML = body.html;
        const fresh = holder.firstElementChild;
        const existing = document.getElementById("comment-" + body.id);
        if (existing) existing.replaceWith(fresh);
        else {
          const list = document.querySelector("[data-comment-list]");
          const empty = list.querySelector(".empty");
          if (empty) empty.remove();
          list.append(fresh);
          form.reset();
          setPassage("", "", "", "");
        }
        status.textContent = body.message;
        const note = document.createElement("p");
        note.className = "notice comment-notice";
        note.textContent = body.message;
        fresh.append(note);
        if (fresh.dataset.quote && !fresh.classList.contains("comment-resolved")) highlight(fresh);
        const count = document.querySelector("[data-open-count]");
        if (count) {
          const open = document.querySelectorAll("[data-comment-list] .comment-open").length;
          count.textContent = open ? "(" + open + " to answer)" : "(all answered)";
        }
      })
      .catch(function () { showError(form, "The server could not be reached; nothing was saved. Try again."); });
  });

  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-show-passage]");
    if (!link) return;
    const target = document.getElementById("passage-" + link.dataset.showPassage);
    event.preventDefault();
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.classList.add("flash");
      setTimeout(function () { target.classList.remove("flash"); }, 1500);
    }
  });

  highlightAll();
})();

// In the editor: a link at each field that has comments, to its thread in the side column.
(function () {
  "use strict";
  document.querySelectorAll(".editor-side [data-comment]").forEach(function (comment) {
    if (comment.classList.contains("comment-resolved")) return;
    const key = comment.dataset.section;
    const label = document.querySelector('.section-field[data-section="' + key + '"] label')
      || document.querySelector("#field-" + key + " label");
    if (!label) return;
    const link = document.createElement("a");
    link.href = "#comment-" + comment.dataset.comment;
    link.className = "comment-badge";
    link.textContent = "Reviewer comment" + (comment.dataset.quote ? ": “" + comment.dataset.quote.slice(0, 40) + (comment.dataset.quote.length > 40 ? "…" : "") + "”" : "");
    label.append(" ", link);
  });
})();
