// The 交办 form (pages/assign_rows.html): "添加一行" clones the row template, numbers it and
// counts it in the management field, as a Django formset would. Without this script the page
// still offers a few empty rows.
(function () {
  "use strict";

  function show(root) {
    root.querySelectorAll("[data-assign-rows] [data-add-row]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var fieldset = button.closest("[data-assign-rows]");
    var total = fieldset.querySelector("[data-total]");
    var template = fieldset.querySelector("template[data-row-template]");
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    fieldset.querySelector("[data-rows]").appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("select, input");
    if (first) first.focus();
  });

  show(document);
  // The case page's live regions are re-rendered from the server: show the button again.
  document.addEventListener("live:refreshed", function () { show(document); });
})();
