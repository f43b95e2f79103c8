// Operator desk: the conversation box drives one /api/assist call per pause in typing
// (debounced 300 ms); the newest answer always wins, older ones are aborted. Alarms come
// first and fill the width of the page. A call the triage transfers to 110/119/120/122 is
// not dispatched: the desk says so and folds the dispatch and answer suggestions away.
"use strict";

(() => {
  const { api, esc, dash, toast, showError, debounce, copyText } = Hotline;
  const $ = (sel) => document.querySelector(sel);
  const DEBOUNCE_MS = 300;
  let controller = null;
  let sequence = 0;
  let lastText = "";
  let answers = [];
  let transfer = null; // the emergency line this call was transferred to, if any
  let unfolded = false; // the operator asked to see the suggestions despite the transfer
  let accepted = null; // { order, duplicates } once this call was accepted as an order
  let last = { dispatch: null, duplicates: null };

  // ---------- rendering ----------
  function renderAlarms(triage) {
    const box = $("#alarms");
    const alerts = (triage && triage.alerts) || [];
    box.innerHTML = alerts
      .map((a) => {
        const kind = a.kind === "emergency" ? "" : a.kind === "legal_channel" ? "legal" : "explain";
        const head =
          a.kind === "emergency"
            ? `请立即转接 ${esc(a.target)}`
            : a.kind === "legal_channel"
              ? `请告知法定途径：${esc(a.target)}`
              : `请向来电人说明：${esc(a.target)}`;
        return `<div class="alarm ${kind}" role="alert" data-kind="${esc(a.kind)}" data-target="${esc(a.target)}">
          <span class="target">${head}</span>
          <span>${esc(a.reason)}${a.matched && a.matched.length ? `（来电提到：${a.matched.map(esc).join("、")}）` : ""}</span>
          <div class="say">请说：“${esc(a.say)}”</div></div>`;
      })
      .join("");
  }

  let lastAnswers = null;

  function renderAnswers(result) {
    lastAnswers = result;
    answers = result && result.suggestions ? result.suggestions : [];
    const status = $("#answer-status");
    const list = $("#answers");
    if (!result) {
      status.textContent = "输入通话内容后显示已审核发布的答复口径。";
      list.innerHTML = "";
      return;
    }
    if (transfer && !unfolded) {
      // the alarm says what to do; scripts matched on words like 烟 would only mislead
      status.innerHTML = `<span class="transfer-note">已转 ${esc(transfer)}：按红色提示转接即可，推荐答复已收起。</span>
        ${answers.length ? `<button type="button" class="secondary unfold">仍要查看（${answers.length} 条）</button>` : ""}`;
      list.innerHTML = "";
      return;
    }
    if (!result.answered) {
      status.innerHTML = '<span class="no-answer">知识库中没有把握的答复：请按一般咨询受理并记录，质检会补充此问题。</span>';
      list.innerHTML = "";
      return;
    }
    const urgent = (result.triage || []).find((a) => a.kind === "emergency");
    status.innerHTML = urgent
      ? `<span class="no-answer">紧急来电：请先转接 ${esc(urgent.target)}，以下口径仅供参考。</span>`
      : `置信度 ${(result.confidence * 100).toFixed(0)}%`;
    list.innerHTML = answers
      .map(
        (s, i) => `<li class="kind-${esc(s.kind)}" data-entry="${s.entry_id}">
          <div class="answer-text">${esc(s.text)}</div>
          <div class="source">来源：<b>${esc(s.title)}</b>${s.heading_path && s.heading_path.length ? " · " + s.heading_path.map(esc).join(" › ") : ""}
            · ${esc(s.kind_zh || s.kind)}<br>依据：${dash(s.basis_title)} · 文号：${dash(s.doc_no)} · 单位：${dash(s.owner_unit)}
            · 有效期至：${s.expires_on ? esc(s.expires_on) : "长期"}</div>
          <div class="row"><button type="button" class="secondary copy" data-index="${i}">复制 ${i < 3 ? `<kbd>Alt</kbd>+<kbd>${i + 1}</kbd>` : ""}</button>
            <span class="small muted">第 ${s.version} 版 · 匹配度 ${s.score}</span></div></li>`,
      )
      .join("");
  }

  const ORDER_FIELDS = [
    ["caller_name", "来电人姓名"],
    ["phone", "联系电话"],
    ["id_number", "身份证号"],
    ["district", "区县"],
    ["street", "街道（乡镇）"],
    ["address_detail", "详细地址"],
    ["appeal_type", "诉求类型"],
    ["category_name", "诉求分类"],
    ["title", "标题"],
    ["summary", "诉求摘要"],
    ["urgency", "紧急程度"],
    ["confidential", "要求保密"],
    ["due_on", "办理时限"],
    ["transfer", "转接紧急热线"],
    ["legal_channel", "法定途径"],
  ];

  function shown(name, value) {
    if (name === "confidential") return value ? "是" : "否";
    // a transferred call is handled by the emergency service: no hotline deadline runs
    if (name === "due_on" && transfer) return `不适用（已转 ${transfer}）`;
    return value;
  }

  function renderOrder(order) {
    const box = $("#order");
    if (!order) {
      box.innerHTML = "";
      $("#missing").textContent = "";
      return;
    }
    const missing = new Set(order.missing || []);
    if (missing.has("category_code")) missing.add("category_name");
    box.innerHTML = ORDER_FIELDS.map(([name, label]) => {
      const value = shown(name, order[name]);
      const isMissing = missing.has(name);
      return `<dt>${label}</dt><dd class="${isMissing ? "missing" : ""}" data-field="${name}">${isMissing && (value === null || value === undefined || value === "") ? "" : dash(value)}</dd>`;
    }).join("");
    $("#missing").innerHTML = order.missing && order.missing.length
      ? `<span style="color:var(--warn)">还需询问：${(order.missing_labels || order.missing).map(esc).join("、")}</span>`
      : '<span style="color:var(--ok)">必填信息已齐全。</span>';
  }

  function dispatchItems(dispatch) {
    const j = dispatch.jurisdiction || {};
    const place = j.district ? `${esc(j.district)}${j.street ? " " + esc(j.street) : ""}（${esc(j.how)}）` : "事发地未知，请询问区县和街道";
    return `<div class="small muted">属地：${place}</div>` + dispatch.suggestions
      .map((s) => `<div class="dispatch-item" data-catalog="${esc(s.catalog_id)}">
        <div class="lead">主办：${dash(s.lead.name)}${s.lead.note ? `<span class="small muted">（${esc(s.lead.note)}）</span>` : ""}</div>
        ${s.co && s.co.length ? `<div>协办：${s.co.map((c) => dash(c.name)).join("、")}</div>` : ""}
        <div class="small">事项：${esc(s.matter)}（${esc(s.catalog_id)}，${esc(s.matter_kind)}）</div>
        <div class="small muted">依据：${esc(s.basis)}</div>
        ${s.why && s.why.length ? `<div class="small muted">理由：${s.why.map(esc).join("；")}</div>` : ""}</div>`)
      .join("");
  }

  function renderDispatch(dispatch, duplicates) {
    last = { dispatch, duplicates };
    const box = $("#dispatch");
    const has = dispatch && dispatch.suggestions && dispatch.suggestions.length;
    if (transfer) {
      // an emergency is the emergency service's: no unit to dispatch to, nothing to merge
      box.innerHTML = `<div class="transfer-note" data-transfer="${esc(transfer)}"><b>已转 ${esc(transfer)}，无需派单。</b>
        受理为工单（<kbd>Alt</kbd>+<kbd>S</kbd>）只记下转接去向，工单随即办结。</div>`
        + (has ? (unfolded ? `<div class="folded-open">${dispatchItems(dispatch)}</div>`
          : `<button type="button" class="secondary unfold small">仍要查看派单建议（${dispatch.suggestions.length} 条）</button>`) : "");
    } else {
      box.innerHTML = has ? dispatchItems(dispatch) : '<span class="muted">暂无派单建议。</span>';
    }
    renderDuplicates(transfer ? null : duplicates);
  }

  function renderDuplicates(duplicates) {
    const dup = $("#duplicates");
    if (accepted) {
      const o = accepted.order;
      dup.innerHTML = accepted.merged
        ? `<div class="hint-dup">工单 ${esc(o.order_no)} 已并入 ${esc(accepted.merged)}。</div>`
        : accepted.duplicates.length
          ? `<div class="hint-dup">工单 ${esc(o.order_no)} 可能与办理中的工单重复，确认后并单：
              ${accepted.duplicates.map((d, i) => `<div class="row"><button type="button" class="merge" data-into="${esc(d.order_no)}">并入 ${esc(d.order_no)}${i === 0 ? " <kbd>Alt</kbd>+<kbd>M</kbd>" : ""}</button>
                <span class="small">${esc(d.title)}（${esc(d.reason)}）</span></div>`).join("")}</div>`
          : "";
      return;
    }
    dup.innerHTML = duplicates && duplicates.length
      ? `<div class="hint-dup">可能是重复诉求，建议并单：${duplicates.map((d) => `${esc(d.order_no)}（${esc(d.reason)}）`).join("；")}。
          受理为工单（<kbd>Alt</kbd>+<kbd>S</kbd>）后可一键并入。</div>`
      : "";
  }

  function renderUnavailable(parts) {
    if (parts && parts.length) $("#assist-status").textContent = `未启用：${parts.join("、")}`;
  }

  // ---------- the assist round trip ----------
  async function assist({ final = false } = {}) {
    const text = $("#conversation").value;
    if (!text.trim()) {
      clearPanels();
      return;
    }
    if (text === lastText && !final) return;
    lastText = text;
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++sequence;
    $("#assist-status").textContent = "分析中……";
    try {
      const result = await api("/api/assist", {
        method: "POST",
        json: { text, region: $("#region").value || null, final },
        signal: controller.signal,
      });
      if (mine !== sequence) return; // a newer request is under way
      transfer = (result.triage && result.triage.transfer) || null;
      renderAlarms(result.triage);
      renderAnswers(result.answers);
      renderOrder(result.order);
      renderDispatch(result.dispatch, result.duplicates);
      $("#assist-status").textContent = `已更新（${Math.round(result.took_ms.total)} 毫秒）`;
      renderUnavailable(result.unavailable);
    } catch (err) {
      if (err.name === "AbortError") return;
      $("#assist-status").textContent = "";
      showError(err);
    }
  }

  function clearPanels() {
    transfer = null;
    unfolded = false;
    accepted = null;
    renderAlarms(null);
    renderAnswers(null);
    renderOrder(null);
    renderDispatch(null, null);
    $("#assist-status").textContent = "";
    lastText = "";
  }

  // The finished call goes into the ask log once. It has its own request, never aborted:
  // clearing the desk for the next call must not cancel it.
  function recordFinal(text) {
    api("/api/assist", { method: "POST", json: { text, region: $("#region").value || null, final: true } })
      .catch(showError);
  }

  function newCall() {
    const text = $("#conversation").value;
    if (controller) controller.abort(); // only the in-progress analysis of this call
    controller = null;
    sequence++;
    if (text.trim()) recordFinal(text);
    $("#conversation").value = "";
    clearPanels();
    $("#conversation").focus();
  }

  async function createOrder() {
    const text = $("#conversation").value;
    if (!text.trim()) return toast("通话内容为空，无法受理。", "error");
    // a second Alt+S on the same call would file the same appeal twice
    if (accepted) return toast(`本通话已受理为工单 ${accepted.order.order_no}；下一通电话请先按 Alt+N。`, "error");
    try {
      const created = await api("/api/orders", { method: "POST", json: { text } });
      const o = created.order;
      if (o.transfer) {
        toast(`已记录工单 ${o.order_no}：已转 ${o.transfer}，无需派单，工单已办结。`, "info", 7000);
      } else {
        toast(`已受理工单 ${o.order_no}：${o.title}（主办：${o.lead_unit || "待派单"}，期限 ${o.due_on || "—"}）`, "info", 7000);
      }
      accepted = { order: o, duplicates: created.duplicates, merged: null };
      renderDuplicates(null);
      if (created.duplicates.length) {
        toast(`可能与办理中的工单重复：${created.duplicates.map((d) => d.order_no).join("、")}，可在“派单建议”中一键并单。`, "error", 9000);
      }
    } catch (err) {
      showError(err);
    }
  }

  async function mergeInto(into) {
    if (!accepted || accepted.merged) return toast("请先受理为工单，再并单。", "error");
    const target = into || (accepted.duplicates[0] && accepted.duplicates[0].order_no);
    if (!target) return toast("没有可并入的工单。", "error");
    try {
      const order = await api(`/api/orders/${encodeURIComponent(accepted.order.order_no)}/merge`, { method: "POST", json: { into: target } });
      accepted.merged = order.merged_into;
      renderDuplicates(null);
      toast(`已并单：${order.order_no} 并入 ${order.merged_into}`);
    } catch (err) {
      showError(err);
    }
  }

  function unfold() {
    unfolded = true;
    renderDispatch(last.dispatch, last.duplicates);
    renderAnswers(lastAnswers);
  }

  async function copyAnswer(index) {
    const s = answers[index];
    if (!s) return toast(`没有第 ${index + 1} 条推荐答复。`, "error");
    await copyText(s.text);
    toast(`已复制第 ${index + 1} 条：${s.title}`);
  }

  // ---------- start ----------
  document.addEventListener("DOMContentLoaded", async () => {
    try {
      await Hotline.requireLogin();
    } catch (_err) {
      return;
    }
    const debounced = debounce(() => assist(), DEBOUNCE_MS);
    $("#conversation").addEventListener("input", debounced);
    $("#region").addEventListener("change", () => { lastText = ""; debounced(); });
    $("#new-call").addEventListener("click", newCall);
    $("#create-order").addEventListener("click", createOrder);
    $("#answers").addEventListener("click", (ev) => {
      const button = ev.target.closest("button.copy");
      if (button) copyAnswer(Number(button.dataset.index));
    });
    document.addEventListener("click", (ev) => {
      if (ev.target.closest("button.unfold")) unfold();
      const merge = ev.target.closest("button.merge");
      if (merge) mergeInto(merge.dataset.into);
    });
    document.addEventListener("keydown", (ev) => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const key = ev.key.toLowerCase();
      const actions = {
        1: () => copyAnswer(0),
        2: () => copyAnswer(1),
        3: () => copyAnswer(2),
        n: newCall,
        s: createOrder,
        m: () => mergeInto(null),
        c: () => $("#conversation").focus(),
        a: () => $("#answers-card").focus(),
        o: () => $("#order-card").focus(),
        r: () => { lastText = ""; debounced.now(); },
      };
      // ev.code keeps shortcuts working when Alt changes the produced character (macOS)
      const code = ev.code.startsWith("Digit") ? ev.code.slice(5) : ev.code.startsWith("Key") ? ev.code.slice(3).toLowerCase() : key;
      const action = actions[code] || actions[key];
      if (action) {
        ev.preventDefault();
        action();
      }
    });
  });
})();
