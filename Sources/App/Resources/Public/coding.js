// Selecting words in an answer (by mouse, or Shift and the arrow keys) fills the excerpt box beside it,
// with where the selection starts, so the server codes exactly those words. Without this script, the
// coder types or pastes the words into the box instead.
// The answer's box is not `readonly`, because browsers then refuse Shift and the arrow keys; it has no
// name, so it is never sent, and typing in it is undone at once.
document.querySelectorAll("textarea[data-answer]").forEach((area) => {
  const form = area.closest("form");
  const original = area.value;
  area.addEventListener("input", () => { area.value = original; });
  const copy = () => {
    if (area.selectionStart === area.selectionEnd) return;
    const text = area.value.substring(area.selectionStart, area.selectionEnd);
    form.querySelector("[data-excerpt]").value = text;
    // The server counts characters, JavaScript counts UTF-16 units: send the character offset.
    form.querySelector("[data-start]").value = Array.from(area.value.substring(0, area.selectionStart)).length;
  };
  ["select", "keyup", "mouseup"].forEach((event) => area.addEventListener(event, copy));
});
