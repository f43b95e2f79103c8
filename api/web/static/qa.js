// QA dashboard: upload a call log (or use the recorded gaps) → coverage with charts;
// the KB health score with its parts and weights. The server renders the charts (SVG).
"use strict";

(() => {
  const { api, toast, showError } = Hotline;
  const $ = (sel) => document.querySelector(sel);

  async function loadHealth() {
    $("#health-report").innerHTML = await api("/api/kb-health?format=html");
    $("#health-report").classList.remove("muted");
  }

  function busy(on, text) {
    $("#coverage-upload").disabled = on;
    $("#coverage-gaps").disabled = on;
    $("#coverage-status").textContent = text || "";
  }

  // The coverage answer holds both coverage and health sections; show the health part in
  // its own card so the page keeps one score.
  function showReport(html) {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const health = holder.querySelector("section.health");
    if (health) {
      health.previousElementSibling && health.previousElementSibling.tagName === "H2" && health.previousElementSibling.remove();
      $("#health-report").replaceChildren(health);
    }
    const heading = holder.querySelector("h2");
    if (heading) heading.remove();
    $("#coverage-report").replaceChildren(...holder.childNodes);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    try {
      await Hotline.requireLogin();
    } catch (_err) {
      return;
    }
    $("#coverage-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const file = $("#call-log").files[0];
      if (!file) return toast("请先选择话务记录文件。", "error");
      const form = new FormData();
      form.append("file", file);
      form.append("skip_invalid", $("#skip-invalid").checked ? "true" : "false");
      busy(true, `正在分析 ${file.name}：每条记录都要检索一遍知识库，请稍候……`);
      try {
        showReport(await api("/api/coverage?format=html", { method: "POST", form }));
        busy(false, `已分析 ${file.name}`);
      } catch (err) {
        busy(false, "");
        showError(err);
      }
    });
    $("#coverage-gaps").addEventListener("click", async () => {
      busy(true, "正在统计已记录的提问……");
      try {
        showReport(await api("/api/coverage/gaps?format=html"));
        busy(false, "已按提问日志统计");
      } catch (err) {
        busy(false, "");
        showError(err);
      }
    });
    loadHealth().catch(showError);
  });
})();
