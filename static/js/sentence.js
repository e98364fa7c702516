// "Nhập văn bản": a task the reader missed costs one action (issue 26 item 4). Selecting a
// sentence in the text pane asks the server to read it (the reader's field readers) and adds
// it as a new proposal row, ticked, with the fields the reader could fill; the office checks
// it like any other row (untick it to leave it out).
document.addEventListener("DOMContentLoaded", () => {
  const pane = document.querySelector(".directive-text[data-sentence-url]");
  const add = document.querySelector(".js-add-task");
  const total = document.getElementById("id_task-TOTAL_FORMS");
  if (!pane || !add || !total) return;
  const form = pane.closest("form");
  const status = document.getElementById("sentence-status");
  const taken = new Set();

  const setField = (index, name, value) => {
    const field = form.querySelector(`[name="task-${index}-${name}"]`);
    if (!field || value === undefined || value === null) return;
    if (field.multiple) {
      const wanted = new Set(value);
      for (const option of field.options) option.selected = wanted.has(option.value);
    } else if (field.type === "checkbox") {
      field.checked = Boolean(value);
    } else {
      field.value = value;
    }
    field.dispatchEvent(new Event("change", { bubbles: true }));
  };

  pane.addEventListener("mouseup", async () => {
    const selection = window.getSelection();
    const sentence = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
    if (sentence.length < 10 || taken.has(sentence)) return;
    taken.add(sentence);
    const body = new URLSearchParams();
    body.set("sentence", sentence);
    const date = form.querySelector("[name=doc_date]");
    if (date) body.set("doc_date", date.value);
    const token = form.querySelector("[name=csrfmiddlewaretoken]");
    const response = await fetch(pane.dataset.sentenceUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) {
      taken.delete(sentence);
      if (status) status.textContent = data.error || "";
      return;
    }
    const index = Number(total.value);
    add.click(); // the formset's empty row, numbered like Django does (app.js)
    for (const name of ["content", "summary", "leads", "coordinators", "deadline",
      "deliverable_kind", "deliverable_text", "recurrence", "evidence"]) {
      setField(index, name, data[name]);
    }
    setField(index, "keep", true);
    if (status) status.textContent = status.dataset.added || "";
    if (selection) selection.removeAllRanges();
  });
});
