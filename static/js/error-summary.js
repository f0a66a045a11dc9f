// A form that failed to save: move the focus to the summary of its errors (templates/admin/
// change_form.html, templates/admin/hearings/log_hearing.html), so keyboard and screen-reader
// users start from the list of what to fix. The admin's own script (change_form.js, loaded
// async) focuses the first field of a new record, possibly after DOMContentLoaded: focus again
// once the page has loaded, unless the monitor has started using the page by then.
{
  let touched = false;
  const focusSummary = () => {
    const summary = document.getElementById("error-summary");
    if (summary && !touched) {
      summary.focus();
    }
  };
  for (const kind of ["keydown", "pointerdown"]) {
    document.addEventListener(kind, () => { touched = true; }, { once: true, capture: true });
  }
  document.addEventListener("DOMContentLoaded", focusSummary);
  window.addEventListener("load", focusSummary);

  // What a link of the summary focuses: the field itself; for an autocomplete select (hidden
  // by select2), the select2 box a monitor types in; a field inside a folded section
  // (<details>) is unfolded first.
  const focusable = (target) => {
    if (target.matches("select.select2-hidden-accessible")) {
      const box = target.nextElementSibling && target.nextElementSibling.querySelector(".select2-selection");
      if (box) {
        return box;
      }
    }
    return target;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#error-summary a[href^='#']");
    if (!link) {
      return;
    }
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    for (let details = target.closest("details"); details; details = details.parentElement.closest("details")) {
      details.open = true;
    }
    const field = focusable(target);
    if (!field.matches("input, select, textarea, button, a[href], [tabindex]")) {
      field.setAttribute("tabindex", "-1");
    }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    history.replaceState(null, "", link.hash);
  });
}
