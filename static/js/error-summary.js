// A form that failed to save: move the focus to the summary of its errors (templates/admin/
// change_form.html), so keyboard and screen-reader users start from the list of what to fix.
// The admin's own script (change_form.js, loaded async) focuses the first field of a new
// record, possibly after DOMContentLoaded: focus again once the page has loaded, unless the
// monitor has started using the page by then.
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
}
