// Small behaviours attached by data- attributes; no inline scripts (the CSP forbids them).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary instanceof HTMLElement) summary.focus();
});

// Occupation type-ahead: a job title input with data-occupation-search (the options URL) and
// data-options-target (the element that lists suggestions, which names its code field).
let occupationTimer;
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.occupationSearch) return;
  window.clearTimeout(occupationTimer);
  occupationTimer = window.setTimeout(async () => {
    const target = document.getElementById(input.dataset.optionsTarget || "");
    if (!target) return;
    const url = new URL(input.dataset.occupationSearch, window.location.href);
    url.searchParams.set("q", input.value);
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok) target.innerHTML = await response.text();
  }, 300);
});
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-code]") : null;
  const box = button ? button.closest("[data-code-field]") : null;
  if (!(button instanceof HTMLElement) || !(box instanceof HTMLElement)) return;
  const field = document.getElementById(box.dataset.codeField || "");
  if (field instanceof HTMLInputElement) {
    field.value = button.dataset.code || "";
    box.textContent = button.dataset.label || "";
    field.focus();
  }
});
