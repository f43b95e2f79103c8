// Login: paste a token, check it against /api/me, keep it, go to the page for the role.
"use strict";

(() => {
  const form = document.getElementById("login-form");
  const input = document.getElementById("token");
  const error = document.getElementById("login-error");
  const params = new URLSearchParams(location.search);

  function fail(message) {
    error.textContent = message;
    error.classList.remove("hidden");
  }

  if (params.get("why")) fail(params.get("why"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.classList.add("hidden");
    Hotline.setToken(input.value);
    try {
      const user = await Hotline.me();
      const next = params.get("next");
      location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : Hotline.HOME_BY_ROLE[user.role] || "/desk";
    } catch (err) {
      Hotline.clearToken();
      fail(err.message);
    }
  });
})();
