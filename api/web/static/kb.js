// KB maintenance: a unit's entries, drafts and review queue, versions and diffs,
// the intake clock and the quarterly sweep. Every action is an /api call; the server
// decides what the user may do (unit scope, not reviewing one's own version).
"use strict";

(() => {
  const { api, esc, dash, toast, showError } = Hotline;
  const $ = (sel, root = document) => root.querySelector(sel);
  let me = null;
  let selected = null; // entry id shown in the detail pane
  let intakeRows = new Map(); // intake id → row, for the 录入 form

  const badge = (status, label) => `<span class="badge ${esc(status)}">${esc(label)}</span>`;
  const unitParam = () => ($("#all-units").checked || !me.unit ? "" : me.unit);

  // ---------- tabs ----------
  function showTab(name) {
    document.querySelectorAll(".tabs button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
    document.querySelectorAll("[role=tabpanel]").forEach((p) => p.classList.toggle("hidden", p.id !== `tab-${name}`));
    return ({ entries: loadEntries, queue: loadQueue, intake: loadIntake, sweep: loadSweep })[name]();
  }

  // ---------- entries ----------
  async function loadEntries() {
    const params = new URLSearchParams();
    if (unitParam()) params.set("unit", unitParam());
    if ($("#status-filter").value) params.set("status", $("#status-filter").value);
    if ($("#entry-filter").value.trim()) params.set("q", $("#entry-filter").value.trim());
    const rows = await api(`/api/entries?${params}`);
    $("#entries tbody").innerHTML = rows.length
      ? rows
          .map(
            (r) => `<tr class="clickable${r.id === selected ? " selected" : ""}" data-id="${r.id}" tabindex="0">
              <td>${r.id}</td><td>${esc(r.title)}<div class="small muted">${esc(r.kind_zh)} · ${esc(r.owner_unit)}</div></td>
              <td>${badge(r.status, r.status_zh)}</td>
              <td>${r.published_version || "—"}/${r.latest_version}</td>
              <td>${r.expires_on ? esc(r.expires_on) : r.published_version ? "长期" : "—"}</td></tr>`,
          )
          .join("")
      : `<tr><td colspan="5" class="muted">没有符合条件的条目。</td></tr>`;
  }

  // ---------- detail ----------
  function versionBlock(v, heading) {
    return `<h3 class="small">${heading}：第 ${v.version} 版 ${badge(v.status, v.status_zh)}</h3>
      <div class="small muted">作者 ${esc(v.author)} · ${esc(v.change_note)}${v.review_note ? ` · 审核意见：${esc(v.review_note)}` : ""}</div>
      <div class="small">有效期：${dash(v.effective_from)} 至 ${v.expires_on ? esc(v.expires_on) : "长期"}　依据：${dash(v.basis_title)} ${esc(v.doc_no || "")}</div>
      ${v.questions.length ? `<div class="small">相似问法：${v.questions.map(esc).join("｜")}</div>` : ""}
      <div class="entry-body" data-version="${v.version}">${esc(v.body)}</div>`;
  }

  // Only the moves the server says this user may make (kb.actors' rules, sent as `can`).
  function actionButtons(can, entry, latest) {
    const buttons = [];
    if (can.edit) buttons.push('<button type="button" data-act="edit" class="secondary">编辑</button>');
    if (can.submit) buttons.push('<button type="button" data-act="submit">提交审核</button>');
    if (can.review) buttons.push('<button type="button" data-act="approve">审核通过并发布</button><button type="button" data-act="reject" class="secondary">退回修改</button>');
    if (can.publish) buttons.push('<button type="button" data-act="publish">发布</button>');
    if (can.archive) buttons.push('<button type="button" data-act="archive" class="danger">归档</button>');
    const notes = [];
    if (latest.status === "in_review" && !can.review) notes.push(`第 ${latest.version} 版待审核${can.review_note ? `：${esc(can.review_note)}` : ""}`);
    if (latest.status === "approved" && !can.publish) notes.push(`第 ${latest.version} 版已审核通过，待审核员发布`);
    if (!buttons.length && !notes.length) notes.push(entry.status === "archived" ? "已归档，不能再修改。" : "只读：本条目由其责任单位维护。");
    const needsNote = can.review || can.archive || can.rollback;
    return (needsNote ? '<input id="action-note" placeholder="审核意见 / 退回原因 / 归档原因" size="24" aria-label="意见或原因">' : "")
      + buttons.join("") + notes.map((n) => `<span class="small muted" data-note>${n}</span>`).join("");
  }

  async function showEntry(id, { edit = false } = {}) {
    selected = id;
    document.querySelectorAll("#entries tr").forEach((tr) => tr.classList.toggle("selected", Number(tr.dataset.id) === id));
    const [detail, versions] = await Promise.all([api(`/api/entries/${id}`), api(`/api/entries/${id}/versions`)]);
    const e = detail.entry;
    const latest = detail.shown;
    const live = detail.live;
    const pane = $("#detail");
    pane.innerHTML = `
      <h2 id="detail-title">${esc(e.title)}</h2>
      <div class="small">ID ${e.id} · ${esc(e.kind_zh)} · ${esc(e.owner_unit)} · ${esc(e.region)} · ${badge(e.status, e.status_zh)}</div>
      ${live ? versionBlock(live, "当前发布") : '<p class="muted small">尚未发布。</p>'}
      ${!live || live.version !== latest.version ? versionBlock(latest, "最新版本") : ""}
      <div class="row" id="actions">${actionButtons(detail.can, e, latest)}</div>
      <div id="edit-area"></div>
      <h3 class="small">版本</h3>
      <table id="versions"><thead><tr><th>旧</th><th>新</th><th>版本</th><th>状态</th><th>作者</th><th>说明</th><th></th></tr></thead><tbody>
      ${versions
        .map(
          (v, i) => `<tr><td><input type="radio" name="diff-a" value="${v.version}" ${i === versions.length - 2 ? "checked" : ""} aria-label="旧版本 ${v.version}"></td>
            <td><input type="radio" name="diff-b" value="${v.version}" ${i === versions.length - 1 ? "checked" : ""} aria-label="新版本 ${v.version}"></td>
            <td>${v.version}</td><td>${badge(v.status, v.status_zh)}</td><td>${esc(v.author)}</td><td>${esc(v.change_note)}</td>
            <td>${detail.can.rollback && ["superseded", "archived"].includes(v.status) ? `<button type="button" class="secondary" data-rollback="${v.version}">回滚到此版</button>` : ""}</td></tr>`,
        )
        .join("")}
      </tbody></table>
      <div class="row"><button type="button" id="diff-button" class="secondary" ${versions.length < 2 ? "disabled" : ""}>比较所选版本</button></div>
      <div id="diff" class="diff"></div>`;
    pane.querySelectorAll("[data-act]").forEach((b) => b.addEventListener("click", () => act(b.dataset.act, e, latest)));
    pane.querySelectorAll("[data-rollback]").forEach((b) =>
      b.addEventListener("click", () => run(`/api/entries/${e.id}/rollback`, { to: Number(b.dataset.rollback), note: $("#action-note") ? $("#action-note").value : "" }, `已回滚到第 ${b.dataset.rollback} 版并发布`)),
    );
    $("#diff-button").addEventListener("click", () => showDiff(e.id));
    if (edit && detail.can.edit) editForm(e, latest);
    else if (edit) toast("没有编辑此条目的权限。", "error");
  }

  async function run(path, body, message) {
    try {
      await api(path, { method: "POST", json: body });
      toast(message);
      await refresh();
    } catch (err) {
      showError(err);
    }
  }

  async function refresh() {
    const tab = document.querySelector(".tabs button[aria-selected=true]").dataset.tab;
    await showTab(tab);
    if (selected) await showEntry(selected);
  }

  function act(action, entry, latest) {
    const note = $("#action-note") ? $("#action-note").value.trim() : "";
    const base = `/api/entries/${entry.id}`;
    if (action === "edit") return editForm(entry, latest);
    if (action === "submit") return run(`${base}/submit`, { version: latest.version }, "已提交审核");
    if (action === "approve") return run(`${base}/approve`, { version: latest.version, note }, "已审核通过并发布，话务员即刻可见");
    if (action === "publish") return run(`${base}/publish`, { version: latest.version }, "已发布");
    if (action === "reject" || action === "archive") {
      if (!note) {
        $("#action-note").focus();
        return toast(action === "reject" ? "请先填写退回原因。" : "请先填写归档原因。", "error");
      }
      return action === "reject"
        ? run(`${base}/reject`, { version: latest.version, note }, "已退回修改")
        : run(`${base}/archive`, { reason: note }, "已归档");
    }
  }

  const EDIT_FIELDS = [
    ["title", "标题", "text"],
    ["questions", "相似问法（每行一个）", "lines"],
    ["body", "正文 / 答复口径", "body"],
    ["basis_title", "依据文件", "text"],
    ["doc_no", "文号", "text"],
    ["basis_clause", "依据条款", "text"],
    ["issuer", "发文单位", "text"],
    ["published_on", "发布日期", "date"],
    ["category", "分类", "text"],
    ["keywords", "关键词（每行一个）", "lines"],
    ["effective_from", "生效日期", "date"],
    ["expires_on", "失效日期（空为长期）", "date"],
  ];

  function fieldInputs(values) {
    return EDIT_FIELDS.map(([name, label, type]) => {
      const value = values[name];
      if (type === "body") return `<label class="field"><span>${label}</span><textarea name="${name}" class="body-edit">${esc(value)}</textarea></label>`;
      if (type === "lines") return `<label class="field"><span>${label}</span><textarea name="${name}" rows="3">${esc((value || []).join("\n"))}</textarea></label>`;
      return `<label class="field"><span>${label}</span><input name="${name}" type="${type}" value="${esc(value || "")}"></label>`;
    }).join("");
  }

  function readFields(form) {
    const out = {};
    for (const [name, , type] of EDIT_FIELDS) {
      const raw = form.elements[name].value;
      if (type === "lines") out[name] = raw.split("\n").map((s) => s.trim()).filter(Boolean);
      else out[name] = raw.trim() === "" ? null : raw;
    }
    return out;
  }

  function editForm(entry, latest) {
    const area = $("#edit-area");
    area.innerHTML = `<form id="edit-form" class="card"><h3 class="small">编辑（生成第 ${latest.version + 1} 版草稿）</h3>
      ${fieldInputs(latest)}
      <label class="field"><span>修改说明（必填）</span><input name="note" required></label>
      <label class="small"><input type="checkbox" name="submit" checked> 保存后提交审核</label>
      <div class="row"><button type="submit">保存新版本</button><button type="button" class="secondary" id="edit-cancel">取消</button></div></form>`;
    const form = $("#edit-form");
    form.elements.title.focus();
    $("#edit-cancel").addEventListener("click", () => (area.innerHTML = ""));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { ...readFields(form), note: form.elements.note.value, submit: form.elements.submit.checked, base_version: latest.version };
      try {
        const v = await api(`/api/entries/${entry.id}/versions`, { method: "POST", json: body });
        toast(`已生成第 ${v.version} 版（${v.status_zh}）`);
        await refresh();
      } catch (err) {
        showError(err);
      }
    });
  }

  // `from` prefills the form; with an intake item's id the new entry closes that item.
  function newEntryForm(from = {}) {
    selected = null;
    const pane = $("#detail");
    const kinds = [["script", "答复口径"], ["faq", "常见问答"], ["policy", "政策文件"], ["notice", "通知公告"]];
    const kind = from.kind || "script";
    pane.innerHTML = `<form id="new-form"><h2>新建条目</h2>
      ${from.intake_id ? `<p class="small" id="intake-note">录入待录入政策 #${from.intake_id}：${esc(from.title)}（截止 ${esc(from.due_on)}）。新建后该项即记为已录入。</p>` : ""}
      <label class="field"><span>类型</span><select name="kind">${kinds.map(([v, l]) => `<option value="${v}"${v === kind ? " selected" : ""}>${l}</option>`).join("")}</select></label>
      <label class="field"><span>责任单位</span><input name="owner_unit" value="${esc(from.owner_unit || me.unit || "")}" required></label>
      <label class="field"><span>适用地区</span><input name="region" value="示例市" required></label>
      ${fieldInputs(from)}
      <label class="small"><input type="checkbox" name="submit" checked> 新建后提交审核</label>
      <div class="row"><button type="submit">新建</button></div></form>`;
    const form = $("#new-form");
    (from.title ? form.elements.body : form.elements.title).focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { ...readFields(form), kind: form.elements.kind.value, owner_unit: form.elements.owner_unit.value, region: form.elements.region.value, submit: form.elements.submit.checked };
      if (from.intake_id) body.intake_id = from.intake_id;
      try {
        const e = await api("/api/entries", { method: "POST", json: body });
        toast(from.intake_id ? `已新建条目 ${e.id}（${e.status_zh}），待录入政策已记为录入` : `已新建条目 ${e.id}（${e.status_zh}）`);
        await loadEntries();
        if (from.intake_id && !$("#tab-intake").classList.contains("hidden")) await loadIntake();
        await showEntry(e.id);
      } catch (err) {
        showError(err);
      }
    });
  }

  async function showDiff(id) {
    const a = document.querySelector("input[name=diff-a]:checked");
    const b = document.querySelector("input[name=diff-b]:checked");
    if (!a || !b) return toast("请选择要比较的两个版本。", "error");
    const d = await api(`/api/entries/${id}/diff?a=${a.value}&b=${b.value}`);
    const fields = d.fields.map((f) => `<li>${esc(f.label)}：<span class="del" style="display:inline">${esc(JSON.stringify(f.old))}</span> → <span class="ins" style="display:inline">${esc(JSON.stringify(f.new))}</span></li>`).join("");
    const body = d.body.map((blk) => blk.old.map((l) => `<span class="del">${esc(l)}</span>`).join("") + blk.new.map((l) => `<span class="ins">${esc(l)}</span>`).join("")).join("");
    $("#diff").innerHTML = `<h3 class="small">第 ${d.from_version} 版 → 第 ${d.to_version} 版（新增 ${d.counts.added}、删除 ${d.counts.removed}、修改 ${d.counts.changed} 段）</h3>
      ${fields ? `<ul class="small">${fields}</ul>` : ""}${body || '<p class="muted small">正文相同。</p>'}`;
  }

  // ---------- queue ----------
  async function loadQueue() {
    const params = unitParam() ? `?unit=${encodeURIComponent(unitParam())}` : "";
    const q = await api(`/api/queue${params}`);
    $("#queue-count").textContent = q.in_review.length || "";
    const row = (item, buttons) => `<tr><td><a href="#" data-open="${item.entry_id}">${esc(item.title)}</a><div class="small muted">${esc(item.owner_unit)}</div></td>
      <td>${item.version}</td><td>${esc(item.author)}</td><td>${esc(item.change_note)}${item.review_note ? `<div class="small" style="color:var(--warn)">退回原因：${esc(item.review_note)}</div>` : ""}</td><td>${buttons}</td></tr>`;
    $("#queue-review tbody").innerHTML =
      q.in_review.map((i) => row(i, i.can_review ? `<button type="button" data-approve="${i.entry_id}" data-version="${i.version}">通过</button>` : '<span class="small muted">待他人审核</span>')).join("") ||
      '<tr><td colspan="5" class="muted">没有待审核的版本。</td></tr>';
    $("#queue-drafts tbody").innerHTML =
      q.drafts.map((i) => row(i, i.can_edit ? `<button type="button" data-submit="${i.entry_id}" data-version="${i.version}" class="secondary">提交审核</button>` : "")).join("") ||
      '<tr><td colspan="5" class="muted">没有草稿。</td></tr>';
    document.querySelectorAll("[data-open]").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); showEntry(Number(a.dataset.open)); }));
    document.querySelectorAll("[data-approve]").forEach((b) => b.addEventListener("click", () => run(`/api/entries/${b.dataset.approve}/approve`, { version: Number(b.dataset.version) }, "已审核通过并发布，话务员即刻可见")));
    document.querySelectorAll("[data-submit]").forEach((b) => b.addEventListener("click", () => run(`/api/entries/${b.dataset.submit}/submit`, { version: Number(b.dataset.version) }, "已提交审核")));
  }

  // ---------- intake ----------
  function countdown(row) {
    if (row.state === "pending") return row.working_days_left === 0 ? '<span class="countdown" style="color:var(--warn)">今天到期</span>' : `<span class="countdown">剩 ${row.working_days_left} 个工作日</span>`;
    if (row.state === "overdue") return `<span class="countdown" style="color:var(--danger)">已逾期 ${Math.abs(row.working_days_left)} 个工作日</span>`;
    return `<span class="small muted">${esc(row.entered_on)} 录入</span>`;
  }

  const mayMaintain = (unit) => me.role === "admin" || (["maintainer", "reviewer"].includes(me.role) && me.unit === unit);

  async function loadIntake() {
    const params = unitParam() ? `?unit=${encodeURIComponent(unitParam())}` : "";
    const rep = await api(`/api/intake${params}`);
    intakeRows = new Map(rep.items.map((r) => [r.id, r]));
    $("#intake tbody").innerHTML =
      rep.items.map((r) => `<tr data-intake="${r.id}"><td>${esc(r.title)}<div class="small muted">${esc(r.doc_no || "")} ${esc(r.unit)}</div></td><td>${esc(r.published_on)}</td><td>${esc(r.due_on)}${r.due_assumed ? "*" : ""}</td><td>${badge(r.state, r.state_zh)}</td><td>${countdown(r)}</td>
        <td>${r.entry_id ? `<a href="#" data-open="${r.entry_id}">条目 ${r.entry_id}</a>` : mayMaintain(r.unit) ? `<button type="button" data-enter="${r.id}">录入</button>` : ""}</td></tr>`).join("") ||
      '<tr><td colspan="6" class="muted">没有登记的新政策。</td></tr>';
    document.querySelectorAll("#intake [data-open]").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); showEntry(Number(a.dataset.open)); }));
    document.querySelectorAll("#intake [data-enter]").forEach((b) =>
      b.addEventListener("click", () => {
        const r = intakeRows.get(Number(b.dataset.enter));
        newEntryForm({ kind: "policy", title: r.title, doc_no: r.doc_no, basis_title: r.title, published_on: r.published_on, owner_unit: r.unit, intake_id: r.id, due_on: r.due_on });
      }),
    );
  }

  // ---------- sweep ----------
  async function loadSweep() {
    const params = unitParam() ? `?unit=${encodeURIComponent(unitParam())}` : "";
    const rep = await api(`/api/sweep${params}`);
    const totals = rep.units.map((u) => `${esc(u.unit)}：已巡检 ${u.handled}/${u.in_scope}（${u.completion_rate === null ? "—" : Math.round(u.completion_rate * 100) + "%"}）`).join("；");
    $("#sweep-summary").innerHTML = `${esc(rep.quarter)} 季度巡检（截至 ${esc(rep.on)}）。${totals}`;
    $("#sweep tbody").innerHTML =
      rep.items.map((i) => `<tr data-sweep="${i.entry_id}"><td><a href="#" data-open="${i.entry_id}">${esc(i.title)}</a><div class="small muted">${esc(i.unit)}</div></td>
        <td>${i.issues.map((k, n) => badge(k, i.issues_zh[n])).join(" ")}${i.pending_version ? ` ${badge("pending-edit", i.pending_status === "draft" ? `修改未提交（第 ${i.pending_version} 版草稿）` : `修改待审核（第 ${i.pending_version} 版${i.pending_status === "approved" ? "，待发布" : ""}）`)}` : ""}</td><td class="small">${i.reasons.map(esc).join("；")}</td>
        <td class="sweep-actions">${mayMaintain(i.unit) ? `<button type="button" data-confirm="${i.entry_id}" ${i.reviewed_this_quarter || i.issues.includes("expired") ? "disabled" : ""}>确认</button>
          <button type="button" class="secondary" data-edit="${i.entry_id}">编辑</button>
          <button type="button" class="danger" data-sweep-archive="${i.entry_id}">归档</button>` : '<span class="small muted">由本单位处理</span>'}</td></tr>`).join("") ||
      '<tr><td colspan="4" class="muted">本季度没有需要处理的条目。</td></tr>';
    document.querySelectorAll("#sweep [data-open]").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); showEntry(Number(a.dataset.open)); }));
    document.querySelectorAll("[data-confirm]").forEach((b) => b.addEventListener("click", () => run(`/api/sweep/${b.dataset.confirm}/confirm`, {}, "已确认：本季度巡检完成")));
    document.querySelectorAll("[data-edit]").forEach((b) => b.addEventListener("click", () => showEntry(Number(b.dataset.edit), { edit: true })));
    document.querySelectorAll("[data-sweep-archive]").forEach((b) =>
      b.addEventListener("click", () => {
        const cell = b.closest("td");
        cell.innerHTML = `<input placeholder="归档原因" size="12" aria-label="归档原因"> <button type="button" class="danger">确认归档</button>`;
        const input = cell.querySelector("input");
        input.focus();
        cell.querySelector("button").addEventListener("click", () => {
          if (!input.value.trim()) return toast("请填写归档原因。", "error");
          run(`/api/sweep/${b.dataset.sweepArchive}/archive`, { reason: input.value.trim() }, "已归档");
        });
      }),
    );
  }

  // ---------- start ----------
  document.addEventListener("DOMContentLoaded", async () => {
    try {
      me = await Hotline.requireLogin();
    } catch (_err) {
      return;
    }
    $("#kb-title").textContent = me.unit ? `知识库维护 · ${me.unit}` : "知识库维护 · 全部单位";
    if (!me.unit) $("#all-units").checked = true;
    const editor = ["maintainer", "reviewer", "admin"].includes(me.role);
    $("#new-entry").classList.toggle("hidden", !editor); // operators and QA read only
    $("#intake-register").classList.toggle("hidden", !editor);
    $("#intake-unit").value = me.unit || "";
    document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab).catch(showError)));
    $("#entries tbody").addEventListener("click", (ev) => {
      const tr = ev.target.closest("tr[data-id]");
      if (tr) showEntry(Number(tr.dataset.id)).catch(showError);
    });
    $("#entries tbody").addEventListener("keydown", (ev) => {
      const tr = ev.target.closest("tr[data-id]");
      if (tr && ev.key === "Enter") showEntry(Number(tr.dataset.id)).catch(showError);
    });
    $("#entry-filter").addEventListener("input", Hotline.debounce(() => loadEntries().catch(showError), 300));
    $("#status-filter").addEventListener("change", () => loadEntries().catch(showError));
    $("#all-units").addEventListener("change", () => refresh().catch(showError));
    $("#new-entry").addEventListener("click", () => newEntryForm());
    $("#intake-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = ev.target.elements;
      try {
        await api("/api/intake", { method: "POST", json: { title: f.title.value, doc_no: f.doc_no.value || null, published_on: f.published_on.value, issuer: f.issuer.value || null, owner_unit: f.owner_unit.value } });
        toast("已登记，录入时限开始计算");
        ev.target.reset();
        $("#intake-unit").value = me.unit || "";
        await loadIntake();
      } catch (err) {
        showError(err);
      }
    });
    await loadEntries().catch(showError);
    await loadQueue().catch(showError);
  });
})();
