// Shared by every page: the token in localStorage, fetch with it, escaping, messages.
"use strict";

const Hotline = (() => {
  const KEY = "hotline.token";
  const HOME_BY_ROLE = { operator: "/desk", maintainer: "/kb", reviewer: "/kb", qa: "/qa", admin: "/desk" };

  class ApiError extends Error {
    constructor(status, body) {
      const message = body && body.message ? body.message : `请求失败（HTTP ${status}）`;
      super(message);
      this.status = status;
      this.body = body || {};
    }
  }

  const token = () => localStorage.getItem(KEY) || "";
  const setToken = (value) => localStorage.setItem(KEY, value.trim());
  const clearToken = () => localStorage.removeItem(KEY);

  async function api(path, { method = "GET", json, form, signal, accept } = {}) {
    const headers = { Authorization: `Bearer ${token()}` };
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      body = form;
    }
    if (accept) headers.Accept = accept;
    const resp = await fetch(path, { method, headers, body, signal });
    const type = resp.headers.get("content-type") || "";
    const data = type.includes("json") ? await resp.json() : await resp.text();
    if (resp.status === 401 && document.body.dataset.page !== "login") {
      clearToken();
      location.href = `/?next=${encodeURIComponent(location.pathname)}&why=${encodeURIComponent(data.message || "")}`;
      throw new ApiError(resp.status, data);
    }
    if (!resp.ok) throw new ApiError(resp.status, typeof data === "object" ? data : { message: String(data) });
    return data;
  }

  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (value) => (value === null || value === undefined ? "" : String(value)).replace(/[&<>"']/g, (c) => ESC[c]);
  const dash = (value) => (value === null || value === undefined || value === "" ? "—" : esc(value));

  function toast(message, kind = "info", ms = 4000) {
    const box = document.getElementById("toast");
    const div = document.createElement("div");
    div.className = `msg ${kind}`;
    div.textContent = message;
    box.appendChild(div);
    setTimeout(() => div.remove(), ms);
  }

  function showError(err) {
    const details = err.body && err.body.details && err.body.details.length ? `（${err.body.details.join("；")}）` : "";
    toast(`${err.message}${details}`, "error", 7000);
  }

  async function me() {
    return api("/api/me");
  }

  // Every page but the login page: check the token, show who is logged in.
  async function requireLogin() {
    if (!token()) {
      location.href = `/?next=${encodeURIComponent(location.pathname)}`;
      throw new Error("not logged in");
    }
    const user = await me();
    const who = document.getElementById("who");
    if (who) who.textContent = `${user.display_name}（${user.role_zh}${user.unit ? " · " + user.unit : ""}）`;
    return user;
  }

  function debounce(fn, ms) {
    let timer = null;
    const wrapped = (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
    wrapped.now = (...args) => {
      clearTimeout(timer);
      fn(...args);
    };
    return wrapped;
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_err) {
      // clipboard API refused (no permission / not a secure context): fall back to a selection copy
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const logout = document.getElementById("logout");
    if (logout) logout.addEventListener("click", () => { clearToken(); location.href = "/"; });
  });

  return { api, ApiError, token, setToken, clearToken, esc, dash, toast, showError, me, requireLogin, debounce, copyText, HOME_BY_ROLE };
})();
