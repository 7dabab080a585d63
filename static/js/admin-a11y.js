// What the admin's own scripts draw without an accessible name, given one as it appears:
// select2's combobox (autocomplete fields) takes its select's name, the filter box's help icon
// becomes an image, and an inline table that scrolls on a phone can take the focus.
(function () {
  function mend(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = select.getAttribute("aria-label") ||
        (select.labels && select.labels[0] && select.labels[0].textContent.trim());
      var drawn = select.parentNode.querySelectorAll(".select2-selection[role=combobox], .select2-selection [role=textbox]");
      drawn.forEach(function (box) {
        if (name && !box.getAttribute("aria-label")) box.setAttribute("aria-label", name);
      });
    });
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll(".inline-group").forEach(function (group) {
      if (group.hasAttribute("tabindex") || group.querySelector("input:not([type=hidden]), select, textarea, a[href], button")) return;
      var title = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      if (title) group.setAttribute("aria-label", title.textContent.trim());
    });
  }
  function start() {
    mend(document);
    new MutationObserver(function () { mend(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
