// QA dashboard: upload a call log (or use the recorded gaps) → coverage with charts;
// the KB health score with its parts and weights. The server renders the charts (SVG).
"use strict";

(() => {
  const { api, toast, showError } = Hotline;
  const $ = (sel) => document.querySelector(sel);

  // The card has its own heading: drop the one the report fragment starts with.
  function withoutHeading(html) {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const first = holder.firstElementChild;
    if (first && first.tagName === "H2") first.remove();
    return holder.childNodes;
  }

  async function loadHealth() {
    $("#health-report").replaceChildren(...withoutHeading(await api("/api/kb-health?format=html")));
    $("#health-report").classList.remove("muted");
  }

  // First load: the coverage of what operators actually asked, when anything was asked;
  // otherwise only the health score (coverage stays 未测 until a log is uploaded).
  async function loadDefault() {
    const summary = await api("/api/coverage/gaps");
    if (summary.coverage && summary.coverage.total > 0) {
      showReport(await api("/api/coverage/gaps?format=html"));
      $("#coverage-status").textContent = `已按提问日志统计（${summary.coverage.total} 次提问）；也可上传话务记录。`;
      $("#health-report").classList.remove("muted");
    } else {
      await loadHealth();
    }
  }

  async function loadGaps() {
    const gaps = await api("/api/gaps?status=open&limit=50");
    $("#gap-count").textContent = gaps.length || "";
    $("#gaps tbody").innerHTML =
      gaps
        .map(
          (g) => `<tr data-gap="${g.id}"><td class="small">${Hotline.esc(String(g.asked_at).slice(0, 16).replace("T", " "))}</td>
            <td>${Hotline.esc(g.question_masked)}</td>
            <td class="small">${g.best_entry_id ? `条目 ${g.best_entry_id}（${g.best_score === null ? "—" : g.best_score.toFixed(2)}）` : "—"}</td>
            <td class="row"><input size="5" placeholder="条目ID" aria-label="补充的条目 ID" class="gap-entry">
              <button type="button" class="secondary gap-resolve">已补充</button>
              <input size="10" placeholder="忽略原因" aria-label="忽略原因" class="gap-note">
              <button type="button" class="secondary gap-dismiss">忽略</button></td></tr>`,
        )
        .join("") || '<tr><td colspan="4" class="muted">没有待处理的缺口。</td></tr>';
  }

  async function closeGap(row, resolve) {
    const id = row.dataset.gap;
    const entry = row.querySelector(".gap-entry").value.trim();
    const note = row.querySelector(".gap-note").value.trim();
    if (resolve && !/^\d+$/.test(entry)) return toast("请填写补充的条目 ID。", "error");
    if (!resolve && !note) return toast("请填写忽略原因。", "error");
    try {
      await api(`/api/gaps/${id}/close`, { method: "POST", json: resolve ? { resolved_entry_id: Number(entry), note } : { note } });
      toast(resolve ? "已标为已补充" : "已忽略");
      await loadGaps();
    } catch (err) {
      showError(err);
    }
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
      if (!file) {
        $("#call-log-button").focus();
        return toast("请先选择话务记录文件。", "error");
      }
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
    loadDefault().catch(showError);
    loadGaps().catch(showError);
    $("#call-log").addEventListener("change", () => {
      const file = $("#call-log").files[0];
      $("#call-log-name").textContent = file ? file.name : "未选择文件";
    });
    $("#call-log-button").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        $("#call-log").click();
      }
    });
    $("#gaps").addEventListener("click", (ev) => {
      const row = ev.target.closest("tr[data-gap]");
      if (!row) return;
      if (ev.target.classList.contains("gap-resolve")) closeGap(row, true);
      if (ev.target.classList.contains("gap-dismiss")) closeGap(row, false);
    });
  });
})();
