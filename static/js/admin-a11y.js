// What the admin's own widgets leave out for screen readers and keyboards (found by axe:
// tests/browser/test_accessibility.py), added on every workspace page
// (templates/admin/base_site.html):
// - an autocomplete field (select2) names its box by the field's label, not by its current
//   value alone, so an empty box is not an unnamed control;
// - a table of inline rows that scrolls sideways on a phone can be reached and scrolled with
//   the keyboard, and says what it holds.
{
  const nameAutocompletes = (root) => {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      const box = select.parentElement.querySelector(".select2-selection");
      const label = select.id && document.querySelector(`label[for="${select.id}"]`);
      if (!box || !label) {
        continue;
      }
      if (!label.id) {
        label.id = `${select.id}-label`;
      }
      const shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", [label.id, shown && shown.id].filter(Boolean).join(" "));
      if (shown) {
        // select2 makes the chosen value a read-only text box of its own: name it too.
        shown.setAttribute("aria-labelledby", label.id);
      }
    }
  };

  const reachScrollingTables = () => {
    for (const group of document.querySelectorAll(".inline-group")) {
      const scrolls = group.scrollWidth > group.clientWidth;
      if (scrolls && !group.hasAttribute("tabindex")) {
        const heading = group.querySelector("h2");
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "region");
        if (heading) {
          group.setAttribute("aria-label", heading.textContent.trim());
        }
      } else if (!scrolls && group.getAttribute("tabindex") === "0") {
        group.removeAttribute("tabindex");
        group.removeAttribute("role");
        group.removeAttribute("aria-label");
      }
    }
  };

  const update = () => {
    nameAutocompletes(document);
    reachScrollingTables();
  };
  // The admin starts select2 when jQuery is ready, and again for each row added to an
  // inline: follow the page as it changes.
  window.addEventListener("load", () => {
    update();
    new MutationObserver(update).observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", reachScrollingTables);
  });
}
