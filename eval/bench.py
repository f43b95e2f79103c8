"""`hotline bench`: ask latency (warm) on the sample KB and on a KB scaled to N chunks, and
ingest throughput cold vs. re-ingest of unchanged documents.

Everything runs in a throw-away HOTLINE_HOME (the user's KB and index are never touched):

1. ``init --sample`` and an empty index that follows the KB (as after a first ``ask``);
2. **first ingest** of data/policies with ``--publish``: read, clean, split, version,
   publish — and index every clause through the model (empty embedding cache);
3. **re-ingest** of the same, unchanged files: ingest finds nothing changed, so no version,
   no event, no model time; and a **full reindex** from the KB, where every text is found
   in the embedding cache (what a re-ingest of *changed* documents costs for their
   unchanged clauses);
4. **latency** of ``ask`` (masking, embedding, hybrid search, re-ranking; nothing recorded)
   over the dev-set questions, after warm-up;
5. the index is then **scaled** to ``scale`` points with synthetic chunks — real clause and
   script vectors with Gaussian noise, real BM25 vectors of other chunks' text, the same
   validity payloads — because embedding 20,000 distinct texts would take the model over
   an hour here; the engine's work per query is what grows with the point count, and that
   is what this measures. Latency is measured again on it.

Model and jieba dictionary are loaded before any timing: the figures are steady state.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from kb.settings import PROJECT_ROOT, get_settings

POLICIES = PROJECT_ROOT / "data" / "policies"


@dataclass
class LatencyRow:
    """ask latency over one KB."""

    label: str
    points: int
    n: int
    p50: float
    p95: float
    max: float
    search_p50: float  # hybrid search + re-ranking only (no masking, no embedding)
    search_p95: float


@dataclass
class IngestRow:
    """One ingest/index run."""

    label: str
    entries: int
    points: int
    embedded: int
    seconds: float

    @property
    def rate(self) -> float:
        """Points (chunks and question points) per second."""
        return self.points / self.seconds if self.seconds else 0.0


@dataclass
class BenchReport:
    """Everything `hotline bench` prints."""

    machine: str
    load_before: str = ""  # 1/5/15-minute load averages: other work on the machine skews
    load_after: str = ""  # every latency figure, so it is reported with them
    latency: list[LatencyRow] = field(default_factory=list)
    ingest: list[IngestRow] = field(default_factory=list)
    scale_write_seconds: float = 0.0
    scale_optimize_seconds: float = 0.0

    @property
    def reingest_speedup(self) -> float:
        """First ingest time / re-ingest time of the unchanged documents."""
        first = next(r for r in self.ingest if r.label.startswith("首次入库"))
        again = next(r for r in self.ingest if r.label.startswith("未变更重入"))
        return first.seconds / again.seconds if again.seconds else float("inf")

    def as_dict(self) -> dict:
        """JSON form."""
        data = asdict(self)
        for row, raw in zip(data["ingest"], self.ingest, strict=True):
            row["rate"] = round(raw.rate, 1)
        data["reingest_speedup"] = round(self.reingest_speedup, 1)
        return data


def machine() -> str:
    """CPU model, cores and Python of this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}，{os.cpu_count()} 核，Python {platform.python_version()}，{platform.system()}"


def load_average() -> str:
    """The 1/5/15-minute load averages, or '' where the OS has none."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return ""


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def _questions() -> list[str]:
    from eval.retrieval import load_questions

    return [q.text for q in load_questions()]


def measure_latency(label: str, runtime, questions: list[str], n: int, day) -> LatencyRow:
    """Warm ``ask`` latency (ms) over ``n`` questions cycled from ``questions``."""
    from assistant.answer import answer
    from assistant.retrieval import Retriever

    retriever = Retriever(runtime)
    for question in questions[:10]:  # warm-up: masking models, caches, engine pages
        answer(question, on=day, runtime=runtime, retriever=retriever)
    # distinct question texts per run so the query-embedding LRU never short-cuts the model
    runtime.embedder.forget_queries()
    times = []
    for i in range(n):
        question = questions[i % len(questions)]
        if i >= len(questions):
            question = f"{question}（{i // len(questions)}）"
        started = time.perf_counter()
        answer(question, on=day, runtime=runtime, retriever=retriever)
        times.append((time.perf_counter() - started) * 1000)
    # the engine and re-ranking alone, on the same questions (query vectors precomputed)
    vectors = runtime.embedder.embed_queries(questions)
    search_times = []
    for i in range(n):
        j = i % len(questions)
        started = time.perf_counter()
        retriever.search(questions[j], on=day, query_vector=vectors[j])
        search_times.append((time.perf_counter() - started) * 1000)
    return LatencyRow(
        label,
        runtime.index().count(),
        n,
        round(_percentile(times, 50), 1),
        round(_percentile(times, 95), 1),
        round(max(times), 1),
        round(_percentile(search_times, 50), 1),
        round(_percentile(search_times, 95), 1),
    )


def scale_index(runtime, session, target: int, seed: int = 7) -> tuple[int, float, float]:
    """Add synthetic points until the index holds ``target``; returns (added, write s, opt s)."""
    from assistant.chunk_options import QUESTION_ROLE
    from assistant.chunks import embed_text, node_payload, nodes_for
    from assistant.embedding.base import PASSAGE, QUERY
    from assistant.index.base import IndexPoint
    from assistant.sync import live_pairs

    index = runtime.index()
    missing = target - index.count()
    if missing <= 0:
        return 0, 0.0, 0.0
    nodes = nodes_for(live_pairs(session), runtime.options)
    texts = [embed_text(n) for n in nodes]
    kinds = [QUERY if n.metadata.get("role") == QUESTION_ROLE else PASSAGE for n in nodes]
    vectors = np.zeros((len(nodes), runtime.embedder.dim), dtype=np.float32)
    for kind in (PASSAGE, QUERY):
        rows = [i for i, k in enumerate(kinds) if k == kind]
        if rows:
            vectors[rows] = runtime.embedder.embed_stored([texts[i] for i in rows], kind)
    sparse = [runtime.sparse.encode_document(t) for t in texts]
    payloads = [node_payload(n) for n in nodes]
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    batch: list[IndexPoint] = []
    for i in range(missing):
        a, b = rng.integers(0, len(nodes), size=2)
        noisy = vectors[a] + rng.normal(0, 0.03, size=vectors.shape[1]).astype(np.float32)
        noisy /= np.linalg.norm(noisy)
        payload = {
            **payloads[a],
            "entry_id": 1_000_000 + i,
            "title": f"{payloads[a]['title']}（合成{i}）",
        }
        batch.append(
            IndexPoint(
                str(uuid.UUID(int=rng.integers(0, 2**63) << 64 | i)), noisy, sparse[b], payload
            )
        )
        if len(batch) == 1000:
            index.upsert(batch)
            batch = []
    if batch:
        index.upsert(batch)
    index.flush()
    written = time.perf_counter() - started
    started = time.perf_counter()
    optimize = getattr(index, "optimize", None)
    if optimize:
        optimize()
    return missing, written, time.perf_counter() - started


def run_bench(
    *, scale: int = 20_000, queries: int = 200, say: Callable[[str], None] | None = None
) -> BenchReport:
    """Run the whole benchmark in a temporary HOTLINE_HOME."""
    from assistant.listener import disable_index_sync, enable_index_sync
    from assistant.runtime import get_runtime, reset_runtimes
    from assistant.sync import live_pairs, reindex
    from eval.retrieval import DEV_SET_DAY
    from ingest.pipeline import IngestOptions, run_ingest
    from kb.bootstrap import initialise
    from kb.db import get_database, reset_databases

    say = say or (lambda _text: None)
    report = BenchReport(machine=machine(), load_before=load_average())
    saved = {k: os.environ.get(k) for k in ("HOTLINE_HOME", "HOTLINE_DATABASE_URL")}
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        os.environ["HOTLINE_HOME"] = tmp
        os.environ.pop("HOTLINE_DATABASE_URL", None)
        get_settings.cache_clear()
        reset_databases()
        reset_runtimes()
        enable_index_sync()
        try:
            settings = get_settings()
            initialise(settings, sample=True)
            db = get_database(settings)
            runtime = get_runtime(settings)
            runtime.warm_up()
            with db.session() as session:
                reindex(session, runtime)  # an empty index that now follows the KB

            options = IngestOptions(actor="admin", publish=True)
            for label in ("首次入库（空缓存，含建索引）", "未变更重入（同一批文件）"):
                say(label)
                misses = runtime.embedder.misses
                started = time.perf_counter()
                result = run_ingest(db, settings, [POLICIES], options)
                seconds = time.perf_counter() - started
                rejected = result.of("rejected")
                if rejected:
                    raise RuntimeError(
                        f"sample corpus rejected: {rejected[0].path}: {rejected[0].message}"
                    )
                with db.session() as session:
                    entries = len(live_pairs(session))
                report.ingest.append(
                    IngestRow(
                        label,
                        entries,
                        runtime.index().count(),
                        runtime.embedder.misses - misses,
                        round(seconds, 3),
                    )
                )
            say("全量重建索引（缓存命中）")
            with db.session() as session:
                stats = reindex(session, runtime)
            report.ingest.append(
                IngestRow(
                    "全量重建索引（向量全部取自缓存）",
                    stats.entries,
                    stats.points,
                    stats.embedded,
                    round(stats.seconds, 3),
                )
            )

            questions = _questions()
            say("示例库问答延迟")
            report.latency.append(
                measure_latency("示例库", runtime, questions, queries, DEV_SET_DAY)
            )
            if scale:
                say(f"放大到 {scale} 个分块")
                with db.session() as session:
                    _, written, optimized = scale_index(runtime, session, scale)
                report.scale_write_seconds = round(written, 2)
                report.scale_optimize_seconds = round(optimized, 2)
                say("放大库问答延迟")
                report.latency.append(
                    measure_latency(
                        f"放大库（{scale} 分块）", runtime, questions, queries, DEV_SET_DAY
                    )
                )
            report.load_after = load_average()
        finally:
            disable_index_sync()
            reset_runtimes()
            reset_databases()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            get_settings.cache_clear()
    return report
