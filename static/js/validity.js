// The browser's own validation bubbles speak its language ("Please fill out this field."):
// each invalid field says it in Vietnamese instead; the server checks everything again.
(function () {
  function message(field) {
    var v = field.validity;
    if (v.valueMissing) {
      if (field.type === "checkbox") return "Vui lòng đánh dấu ô này nếu muốn tiếp tục.";
      if (field.type === "radio" || field.tagName === "SELECT") return "Vui lòng chọn một mục.";
      if (field.type === "file") return "Vui lòng chọn tệp.";
      return "Vui lòng điền vào ô này.";
    }
    if (v.typeMismatch && field.type === "email") return "Thư điện tử chưa đúng dạng, ví dụ ten@example.vn.";
    if (v.typeMismatch && field.type === "url") return "Địa chỉ trang chưa đúng dạng, ví dụ https://example.vn.";
    if (v.patternMismatch) return field.title || "Giá trị chưa đúng dạng yêu cầu.";
    if (v.tooLong) return "Quá dài: tối đa " + field.maxLength + " ký tự.";
    if (v.tooShort) return "Quá ngắn: tối thiểu " + field.minLength + " ký tự.";
    if (v.rangeUnderflow) return "Giá trị nhỏ nhất là " + field.min + ".";
    if (v.rangeOverflow) return "Giá trị lớn nhất là " + field.max + ".";
    if (v.stepMismatch || v.badInput) return "Vui lòng nhập một số hợp lệ.";
    return "Giá trị chưa hợp lệ.";
  }
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity) return;
    field.setCustomValidity("");
    if (!field.validity.valid) field.setCustomValidity(message(field));
  }, true);
  // A field the user changes is checked afresh (a kept custom message would block the form).
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.setCustomValidity) event.target.setCustomValidity("");
    }, true);
  });
})();
