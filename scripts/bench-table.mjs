// The README's performance table, made from the output of `bash scripts/bench.sh`.
// Give it one or more saved outputs (bench.sh keeps each in artifacts/bench/); every
// row shows the range over those runs and whether the target was met in all, some or
// none of them. Nothing here is typed by hand: a figure bench.sh did not print is
// shown as "not printed".
//   node scripts/bench-table.mjs artifacts/bench/*.log
import { readFileSync } from "node:fs";

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error("usage: node scripts/bench-table.mjs BENCH_LOG [BENCH_LOG …] (outputs of bash scripts/bench.sh)");
    process.exit(2);
}
const logs = files.map((file) => readFileSync(file, "utf8"));

/// The first match of `pattern` in `log`, as numbers (capture groups), or null.
function numbers(log, pattern) {
    const match = log.match(pattern);
    return match ? match.slice(1).map(Number) : null;
}

const NATIVE_DAY = /multi-az preset \(5 nodes\): 24 simulated hours in ([\d.]+) ms/;
const NATIVE_100 = /^100 nodes over 3 regions: 24 simulated hours in ([\d.]+) ms \(median of \d+\), \d+ events, ([\d.]+) M events\/s/m;
const WASM_DAY = /wasm multi-az preset \(5 nodes\): 24 simulated hours in ([\d.]+) ms/;
const WASM_100 = /wasm 100 nodes over 3 regions: 24 simulated hours in ([\d.]+) ms/;
const NATIVE_DAY_FIRST = /^multi-az preset \(5 nodes\): first run \(cold start\) in ([\d.]+) ms/m;
const NATIVE_100_FIRST = /^100 nodes over 3 regions: first run \(cold start\) in ([\d.]+) ms/m;
const WASM_DAY_FIRST = /wasm multi-az preset \(5 nodes\): first run \(cold start\) in ([\d.]+) ms/;
const WASM_100_FIRST = /wasm 100 nodes over 3 regions: first run \(cold start\) in ([\d.]+) ms/;
const NATIVE_PLAN = /default plan of the multi-az preset: 24 cells, \d+ trials in ([\d.]+) s/;
const BROWSER_PLAN = /default plan of the multi-az preset in the browser: 24 cells × \d+ trials in ([\d.]+) s/;

// The planner benchmark's 1,000 trials of one failure kind (`benches/planner.rs`),
// against its 2 s target.
function plannerRow(what, failure) {
    return {
        what,
        target: "< 2 s",
        read: (log) => numbers(log, new RegExp(`${failure} failure: 1000 trials over a 6-hour horizon in ([\\d.]+) s`)),
        show: ([seconds]) => seconds,
        unit: "s",
        meets: ([seconds]) => seconds < 2,
    };
}

/// A row dividing a browser figure by the native one of the same run (the first
/// capture of each pattern); the browser figure is shown beside the ratio. The two are
/// measured minutes apart: a ratio below 1 means the machine changed speed in between,
/// so that run is shown but not judged.
function ratioRow(what, limit, browserPattern, nativePattern, unit) {
    return {
        what,
        target: `≤ ${limit}× native`,
        read: (log) => {
            const browser = numbers(log, browserPattern);
            const native = numbers(log, nativePattern);
            return browser && native ? [browser[0] / native[0], browser[0]] : null;
        },
        show: ([ratio]) => ratio,
        unit: "×",
        extra: ([, figure]) => figure,
        extraUnit: unit,
        meets: ([ratio]) => ratio <= limit,
        doubtful: ([ratio]) => ratio < 1,
    };
}

/// Each row: what, its target, and per log the figures (null when not printed), how
/// to write them and whether they meet the target.
const rows = [
    {
        what: "`multi-az` preset, 24 simulated hours, native",
        target: "< 50 ms",
        read: (log) => numbers(log, NATIVE_DAY),
        show: ([ms]) => ms,
        unit: "ms",
        meets: ([ms]) => ms < 50,
    },
    {
        what: "100 nodes over 3 regions, 24 simulated hours, native",
        target: "≥ 9 M events/s (and < 1 s)",
        read: (log) => numbers(log, NATIVE_100),
        show: ([, rate]) => rate,
        unit: "M events/s",
        extra: ([ms]) => ms,
        extraUnit: "ms",
        meets: ([ms, rate]) => ms < 1000 && rate >= 9,
    },
    {
        what: "300 nodes over 3 regions, 24 simulated hours, native",
        target: "< 5 s",
        read: (log) => numbers(log, /^300 nodes over 3 regions: 24 simulated hours in ([\d.]+) ms/m),
        show: ([ms]) => ms / 1000,
        unit: "s",
        meets: ([ms]) => ms < 5000,
    },
    {
        what: "the user limits: 300 nodes over 3 regions for 30 simulated days, native",
        target: "completes in < 45 s; memory < 1 GiB",
        read: (log) => numbers(log, /user limits \(300 nodes over 3 regions, 30 simulated days\): ([\d.]+) s, \d+ events.*peak memory (\d+) MiB/),
        show: ([seconds]) => seconds,
        unit: "s",
        extra: ([, mebibytes]) => mebibytes,
        extraUnit: "MiB peak",
        meets: ([seconds, mebibytes]) => seconds < 45 && mebibytes < 1024,
    },
    {
        what: "a PEER's disk lost with no snapshot, a year of history, 60 simulated hours, native",
        target: "printed",
        read: (log) => numbers(log, /initial_height 2102400: \d+ events, (\d+) ms for 60 simulated hours/),
        show: ([ms]) => ms,
        unit: "ms",
    },
    {
        what: "replay worker: a 200-node frame every 1,000 simulated seconds, native (worst frame)",
        target: "< 100 ms",
        read: (log) => numbers(log, /200-node frames while playing at 10,000x: median [\d.]+ ms, worst ([\d.]+) ms/),
        show: ([ms]) => ms,
        unit: "ms",
        meets: ([ms]) => ms < 100,
    },
    ratioRow("the `multi-az` day in WebAssembly (headless Chromium), against native in the same run", 1.3, WASM_DAY, NATIVE_DAY, "ms"),
    ratioRow("the 100-node day in WebAssembly (headless Chromium), against native in the same run", 1.3, WASM_100, NATIVE_100, "ms"),
    ratioRow("the `multi-az` day's first run (cold start) in WebAssembly, against native's first run", 1.3, WASM_DAY_FIRST, NATIVE_DAY_FIRST, "ms"),
    ratioRow("the 100-node day's first run in WebAssembly, against native's first run", 1.3, WASM_100_FIRST, NATIVE_100_FIRST, "ms"),
    plannerRow("planner: 1,000 trials of `multi-az`, AZ failure, 6-hour horizon, native on every core", "az"),
    plannerRow("planner: the same with a node failure", "node"),
    {
        what: "the whole default plan of `multi-az` (24 cells × 100 trials, hints included), native on every core",
        target: "printed",
        read: (log) => numbers(log, NATIVE_PLAN),
        show: ([seconds]) => seconds,
        unit: "s",
    },
    ratioRow("the same default plan in the browser (one trial worker per core, in the planner's module), against native in the same run", 1.5, BROWSER_PLAN, NATIVE_PLAN, "s"),
    {
        what: "what the first page load downloads, gzipped",
        target: "≤ 500 KB",
        read: (log) => numbers(log, /first page load: ([\d.]+) KB gzipped/),
        show: ([kilobytes]) => kilobytes,
        unit: "KB",
        meets: ([kilobytes]) => kilobytes <= 500,
    },
    {
        what: "200 nodes over 3 regions playing at 1,000× for 12 s: frames whose moment changed",
        target: "≥ 50 frames/s",
        read: (log) => numbers(log, /200 nodes playing at 1,000× for [\d.]+ s: ([\d.]+) frames\/s/),
        show: ([fps]) => fps,
        unit: "frames/s",
        meets: ([fps]) => fps >= 50,
    },
    {
        what: "the same: main-thread tasks over 50 ms from the Play click (longest)",
        target: "none",
        read: (log) => {
            const found = numbers(log, /longest main-thread task (\d+) ms, (\d+) over 50 ms \(target: none/);
            return found ? [found[1], found[0]] : null;
        },
        show: ([over]) => over,
        unit: "tasks",
        extra: ([, longest]) => longest,
        extraUnit: "ms longest",
        meets: ([over]) => over === 0,
    },
    {
        what: "the same: pause answered",
        target: "≤ 100 ms",
        read: (log) => numbers(log, /pause answered in (\d+) ms/),
        show: ([ms]) => ms,
        unit: "ms",
        meets: ([ms]) => ms <= 100,
    },
    {
        what: "a scenario at the limits (300 nodes, 30 days) opened from a share link: longest main-thread task while loading",
        target: "≤ 100 ms",
        read: (log) => numbers(log, /^300 nodes over 3 regions, 30 days, from a share link.*longest main-thread task while loading (\d+) ms/m),
        show: ([ms]) => ms,
        unit: "ms",
        meets: ([ms]) => ms <= 100,
    },
    {
        what: "the same scenario scrubbed to 2 h, 1 day, 3 days and back to 6 h: longest main-thread task",
        target: "≤ 100 ms",
        read: (log) => numbers(log, /^scrubbing to .*: longest main-thread task (\d+) ms/m),
        show: ([ms]) => ms,
        unit: "ms",
        meets: ([ms]) => ms <= 100,
    },
];

/// "a" or "a–b", with as many decimals as the figure's size asks for.
function range(values) {
    const decimals = (value) => (Number.isInteger(value) ? 0 : Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
    const write = (value) => value.toFixed(decimals(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const low = Math.min(...values);
    const high = Math.max(...values);
    return low === high || write(low) === write(high) ? write(low) : `${write(low)}–${write(high)}`;
}

const runs = logs.length;
console.log(`| what | target | measured (${runs} run${runs === 1 ? "" : "s"} of \`bench.sh\`) | verdict |`);
console.log("|---|---|---|---|");
for (const row of rows) {
    const found = logs.map(row.read).filter((figures) => figures !== null);
    if (found.length === 0) {
        console.log(`| ${row.what} | ${row.target} | not printed | — |`);
        continue;
    }
    const space = row.unit === "×" ? "" : " ";
    const doubtful = row.doubtful ? found.filter(row.doubtful) : [];
    const judged = found.filter((figures) => !doubtful.includes(figures));
    const write = (list) => {
        let text = `${range(list.map(row.show))}${space}${row.unit}`;
        if (row.extra) text += ` (${range(list.map(row.extra))} ${row.extraUnit})`;
        return text;
    };
    let measured = judged.length > 0 ? write(judged) : "";
    if (doubtful.length > 0) {
        measured += `${measured ? "; " : ""}not judged: ${write(doubtful)} in ${doubtful.length} run(s), where native measured slower than the browser (the machine changed speed between the two)`;
    }
    if (found.length < runs) measured += `; not printed in ${runs - found.length} run(s)`;
    let verdict = "—";
    if (row.meets && judged.length > 0) {
        const met = judged.filter(row.meets).length;
        const of = judged.length === runs ? "" : ` (of ${judged.length} judged)`;
        verdict = met === judged.length ? `met${of}` : met === 0 ? `**missed**${of}` : `**met in ${met} of ${judged.length}**`;
    }
    console.log(`| ${row.what} | ${row.target} | ${measured} | ${verdict} |`);
}
