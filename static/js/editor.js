// Article editor enhancements. The form works without this file: it only adds the live gate
// panel, the check findings and the plain-language advice under each field, required-section
// markers that follow the chosen type, and an "Add a reference" button.
(function () {
  "use strict";
  const form = document.getElementById("article-form");
  if (!form) return;

  // References: clone the empty row, numbering it as Django's formset expects.
  const rows = form.querySelector("[data-reference-rows]");
  const template = document.getElementById("reference-template");
  const addButton = form.querySelector("[data-add-reference]");
  const total = form.querySelector("input[name='refs-TOTAL_FORMS']");
  if (rows && template && addButton && total) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input");
      if (first) first.focus();
    });
  }

  // Required markers follow the article type.
  const requirements = JSON.parse(form.dataset.typeRequirements || "{}");
  const typeSelect = form.querySelector("select[name='article_type']");
  function markRequired() {
    const required = requirements[typeSelect.value] || [];
    form.querySelectorAll("[data-section]").forEach(function (wrapper) {
      const label = wrapper.querySelector("label");
      let tag = label.querySelector(".required-tag");
      if (required.indexOf(wrapper.dataset.section) >= 0) {
        if (!tag) {
          tag = document.createElement("span");
          tag.className = "required-tag";
          tag.textContent = "Required";
          label.append(" ", tag);
        }
      } else if (tag) {
        tag.remove();
      }
    });
  }
  if (typeSelect) typeSelect.addEventListener("change", function () { markRequired(); scheduleGate(); });

  // Live gate: ask the server, which applies the same rules as submission.
  const results = document.querySelector("[data-gate-results]");
  let timer = null;
  function scheduleGate() {
    clearTimeout(timer);
    timer = setTimeout(checkGate, 700);
  }
  // The gate reads words, not files: a chosen image goes as an empty stand-in with its name, so a
  // large photo is not sent again at every pause in typing.
  function gateData() {
    const data = new FormData();
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) data.append(name, new Blob(), value.name);
      else data.append(name, value);
    });
    return data;
  }
  function checkGate() {
    if (window.tinymce) window.tinymce.triggerSave();
    fetch(form.dataset.gateUrl, { method: "POST", body: gateData(), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        renderGate(data.failures);
        if (Array.isArray(data.findings)) renderFindings(data.findings);
        if (data.readability) renderReadability(data.readability);
      })
      .catch(function () { /* the server-rendered verdict stays; saving still works */ });
  }
  function renderGate(failures) {
    if (!results) return;
    results.textContent = "";
    const summary = document.createElement("p");
    if (!failures.length) {
      summary.className = "gate-ok";
      summary.textContent = "Every required section holds real content and the sources are cited.";
      results.append(summary);
      return;
    }
    summary.textContent = "Not yet: " + failures.length + " thing" + (failures.length === 1 ? "" : "s") +
      " to fix before it can be submitted.";
    const list = document.createElement("ul");
    list.className = "gate-failures";
    failures.forEach(function (failure) {
      const item = document.createElement("li");
      item.dataset.field = failure.field;
      item.textContent = failure.message;
      list.append(item);
    });
    results.append(summary, list);
  }
  // The automated checks' findings, each listed under its field (the same markup as
  // templates/partials/_findings.html, which draws them on every page load and save).
  function renderFindings(findings) {
    const grouped = {};
    findings.forEach(function (finding) { (grouped[finding.field] = grouped[finding.field] || []).push(finding); });
    form.querySelectorAll("[data-findings-for]").forEach(function (list) {
      const own = grouped[list.dataset.findingsFor] || [];
      list.textContent = "";
      list.hidden = !own.length;
      own.forEach(function (finding) {
        const item = document.createElement("li");
        item.className = "finding finding-" + finding.severity;
        item.dataset.code = finding.code;
        const severity = document.createElement("strong");
        severity.className = "finding-severity";
        severity.textContent = finding.severity === "error" ? "Error:" : "Warning:";
        item.append(severity, " " + finding.message);
        if (finding.excerpt) {
          const excerpt = document.createElement("q");
          excerpt.className = "finding-excerpt";
          excerpt.textContent = finding.excerpt;
          item.append(" ", excerpt);
        }
        if (finding.trigger) {
          const trigger = document.createElement("span");
          trigger.className = "finding-trigger";
          const words = document.createElement("mark");
          words.textContent = finding.trigger;
          trigger.append("Flagged words: ", words, ".");
          item.append(" ", trigger);
        }
        if (finding.fix) {
          const fix = document.createElement("span");
          fix.className = "finding-fix";
          fix.textContent = "How to fix: " + finding.fix;
          item.append(" ", fix);
        }
        if (finding.policy && form.dataset.checksUrl) {
          const policy = document.createElement("a");
          policy.className = "finding-policy";
          policy.href = form.dataset.checksUrl + "#" + encodeURIComponent(finding.policy);
          policy.textContent = "Policy";
          item.append(" ", policy);
        }
        if (finding.reason) {
          const reason = document.createElement("span");
          reason.className = "finding-reason";
          reason.textContent = "Reason recorded: " + finding.reason;
          item.append(reason);
        }
        list.append(item);
      });
    });
  }
  // Plain-language advice per field (the same markup as templates/partials/_readability.html).
  // Only what changed is rewritten: each box is a polite live region, and rewriting unchanged
  // text would have a screen reader read every box again at each pause in typing.
  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }
  function renderReadability(measures) {
    document.querySelectorAll("[data-readability-for]").forEach(function (box) {
      const measure = measures[box.dataset.readabilityFor] || { headline: "", counts: "", details: [] };
      const headline = box.querySelector("[data-readability-headline]");
      const counts = box.querySelector("[data-readability-counts]");
      const details = box.querySelector("[data-readability-details]");
      setText(headline, measure.headline);
      headline.parentElement.hidden = !measure.headline;
      setText(counts, measure.counts);
      counts.hidden = !measure.counts;
      const list = details.querySelector("ul");
      const shown = Array.prototype.map.call(list.children, function (item) { return item.textContent; });
      if (shown.join("\n") !== measure.details.join("\n")) {
        list.textContent = "";
        measure.details.forEach(function (line) {
          const item = document.createElement("li");
          item.textContent = line;
          list.append(item);
        });
      }
      details.hidden = !measure.details.length;
      box.className = "readability" + (measure.verdict ? " readability-" + measure.verdict.replace(/ /g, "-") : "");
      box.hidden = !(measure.headline || measure.counts);
    });
  }
  form.addEventListener("input", scheduleGate);
  form.addEventListener("change", scheduleGate);
  if (window.tinymce) {
    window.tinymce.on("AddEditor", function (event) {
      event.editor.on("input change undo redo", scheduleGate);
    });
  }
})();
