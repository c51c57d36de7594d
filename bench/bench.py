#!/usr/bin/env python3
"""recon's benchmarks (make bench; never part of make test).

Figures, each the median of several runs, against bounds measured or derived
in the same run:
  plan-scale      synthetic stacks of N instances (bench/gen_stack.py) applied
                  once into recon-sim, then `recon plan`: wall, CPU, peak RSS,
                  API calls; again with -latency-ms 50 beside the Terraform-
                  style "one read per resource, 10 at a time" bound
  front-end       `recon validate` and `recon graph` (parse + evaluate +
                  expand + graph) on the largest configuration
  critical-path   the reference stack (examples/ecs-fargate) applied and
                  destroyed with -latency-ms 50 and the simulator's default
                  delays; wall against the longest path of the dependency
                  graph (per-node durations measured from recon's event lines,
                  and the physical floor from the simulator's delay flags)
  deploy          an image-tag deploy (plan + apply + steady state) against
                  the simulator's own deployment time
Prints tables; writes bench/out/latest.json: a list of {name, parameters,
value, unit}, and bench/out/latest.notes.json (what could not be measured, and why). Usage: bench.py [--build DIR] [--sizes 10,100,...] [--runs N]
[--only plan,front,critical,deploy] [--apply-budget SECONDS]."""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
sys.path.insert(0, HERE)

FIGS = []
NOTES = []

# Reads the Terraform AWS provider makes to refresh one instance of a type
# (its Read function: the describe call plus the attribute/tag reads), used
# for the "Terraform-realistic" bound next to the plain one-read-per-resource
# bound. aws_vpc: DescribeVpcs, DescribeVpcAttribute x3, main route table,
# default SG, default NACL; subnets: DescribeSubnets; SG: DescribeSecurityGroups
# + rules; target group: DescribeTargetGroups, attributes, tags; log group:
# DescribeLogGroups, ListTagsForResource.
TF_READS = {"aws_vpc": 7, "aws_subnet": 1, "aws_security_group": 2,
            "aws_vpc_security_group_ingress_rule": 1, "aws_security_group_rule": 1,
            "aws_lb_target_group": 3, "aws_cloudwatch_log_group": 2}


def fig(name, value, unit, **params):
    FIGS.append({"name": name, "parameters": params, "value": value, "unit": unit})
    return value


def note(msg):
    NOTES.append(msg)
    print("  note: " + msg, flush=True)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def table(title, cols, rows):
    print("\n" + title)
    w = [max(len(str(c)), *(len(fmt(r[i])) for r in rows)) if rows else len(str(c))
         for i, c in enumerate(cols)]
    print("  " + "  ".join(str(c).rjust(w[i]) for i, c in enumerate(cols)))
    for r in rows:
        print("  " + "  ".join(fmt(r[i]).rjust(w[i]) for i in range(len(cols))))
    sys.stdout.flush()


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        return "%.3f" % x if abs(x) < 100 else "%.1f" % x
    return str(x)


def sim_flag_defaults():
    """{flag: default} from `recon-sim -help` ("... (default 1500)")."""
    import subprocess
    import reconlib as rl
    out = subprocess.run([rl.RECON_SIM, "-help"], capture_output=True, text=True).stdout
    d = {}
    for line in out.splitlines():
        m = re.match(r"\s*-(\S+)\s.*\(default (\d+)\)", line)
        if m:
            d[m.group(1)] = int(m.group(2))
    return d


# ---------------------------------------------------------------- plan scale
def plan_scale(a):
    import reconlib as rl
    import gen_stack
    rows, lrows, setup_rows = [], [], []
    for n in a.sizes:
        d = tempfile.mkdtemp(prefix="recon-bench-%d-" % n)
        summary = gen_stack.generate(n, d)
        n_real = summary["total"]
        simstate = os.path.join(d, "sim-state.json")
        print("\n[plan-scale] N=%d %s" % (n_real, json.dumps(summary["counts"])), flush=True)
        with rl.Sim("-state", simstate) as sim:
            env = sim.env()
            r = rl.run_measured(["apply", "-auto-approve", "-no-color",
                                 "-parallelism=%d" % a.parallelism], d, env,
                                timeout=a.apply_budget)
            if r["rc"] != 0:
                try:
                    live = len(rl.live_objects(sim.state()))
                except OSError as e:  # the simulator itself went away
                    live = "? (recon-sim unreachable: %s)" % e
                if r["wall"] >= a.apply_budget:
                    note("N=%d: the apply did not finish within the %ds budget on this machine "
                         "(%s objects created after %.0fs); plan not measured for this N" %
                         (n_real, a.apply_budget, live, r["wall"]))
                    fig("apply_setup_wall", None, "s", n=n_real, budget_s=a.apply_budget,
                        created=live, finished=False, parallelism=a.parallelism)
                else:
                    note("N=%d: apply failed (exit %d) after %.0fs, %s objects live: %s" %
                         (n_real, r["rc"], r["wall"], live, r["err"].strip()[-800:]))
                continue
            serial = rl.state_file(d).get("serial")
            fig("apply_setup_wall", r["wall"], "s", n=n_real, parallelism=a.parallelism)
            fig("apply_setup_cpu", r["cpu"], "s", n=n_real, parallelism=a.parallelism)
            # state writes of the set-up apply (the serial counts them): the
            # whole state is serialised at each, so the apply is quadratic in N
            fig("apply_setup_state_writes", serial, "writes", n=n_real,
                parallelism=a.parallelism)
            fig("apply_setup_maxrss", r["maxrss_kb"], "KiB", n=n_real)
            print("  applied in %.1fs (cpu %.1fs, rss %d KiB, -parallelism=%d, %s state writes)" %
                  (r["wall"], r["cpu"], r["maxrss_kb"], a.parallelism, serial), flush=True)
            setup_rows.append([n_real, a.parallelism, r["wall"], r["cpu"], r["maxrss_kb"], serial])
            ws, cs, rs, calls, rcs = [], [], [], [], []
            for _ in range(a.runs):
                before = sim.calls()
                p = rl.run_measured(["plan", "-detailed-exitcode", "-no-color"], d, env,
                                    timeout=a.apply_budget)
                after = sim.calls()
                ws.append(p["wall"])
                cs.append(p["cpu"])
                rs.append(p["maxrss_kb"])
                dl = rl.calls_delta(before, after)
                calls.append(dl.get("_total", 0))
                rcs.append(p["rc"])
                if p["rc"] != 0:
                    note("N=%d: plan right after apply exited %d (0 expected): %s" %
                         (n_real, p["rc"], (p["err"] or p["out"]).strip()[-600:]))
            by_op = {k: v for k, v in dl.items() if not k.startswith("_")}
            row = [n_real, med(ws), med(cs), med(rs), med(calls), "%d/%d" % (rcs.count(0), len(rcs))]
            rows.append(row)
            fig("plan_wall", med(ws), "s", n=n_real, latency_ms=0, runs=a.runs)
            fig("plan_cpu", med(cs), "s", n=n_real, latency_ms=0, runs=a.runs)
            fig("plan_maxrss", med(rs), "KiB", n=n_real, latency_ms=0, runs=a.runs)
            fig("plan_api_calls", med(calls), "calls", n=n_real, latency_ms=0, by_operation=by_op)
            fig("plan_calls_per_resource", med(calls) / n_real, "calls/resource", n=n_real)
        # the same state behind a 50 ms endpoint
        lat = a.latency_ms
        with rl.Sim("-state", simstate, "-latency-ms", str(lat)) as sim:
            env = sim.env()
            ws, calls = [], []
            for _ in range(a.latency_runs):
                before = sim.calls()
                p = rl.run_measured(["plan", "-detailed-exitcode", "-no-color"], d, env,
                                    timeout=a.apply_budget)
                calls.append(rl.calls_delta(before, sim.calls()).get("_total", 0))
                ws.append(p["wall"])
                if p["rc"] != 0:
                    note("N=%d latency %dms: plan exited %d: %s" %
                         (n_real, lat, p["rc"], (p["err"] or p["out"]).strip()[-600:]))
            bound1 = n_real * 1 * lat / 1000.0 / 10
            tf_reads = sum(TF_READS.get(t, 1) * c for t, c in summary["counts"].items())
            bound_tf = tf_reads * lat / 1000.0 / 10
            w = med(ws)
            lrows.append([n_real, w, med(calls), bound1, w / bound1 if w else None,
                          bound_tf, w / bound_tf if w else None])
            fig("plan_wall", w, "s", n=n_real, latency_ms=lat, runs=a.latency_runs)
            fig("plan_api_calls", med(calls), "calls", n=n_real, latency_ms=lat)
            fig("terraform_bound_one_read", bound1, "s", n=n_real, latency_ms=lat, parallelism=10)
            fig("plan_vs_terraform_bound_one_read", w / bound1, "ratio", n=n_real, latency_ms=lat)
            fig("terraform_bound_provider_reads", bound_tf, "s", n=n_real, latency_ms=lat,
                reads=tf_reads, parallelism=10)
            fig("plan_vs_terraform_bound_provider_reads", w / bound_tf, "ratio", n=n_real,
                latency_ms=lat)
    table("Plan-scale set-up: one apply of the whole stack into an empty recon-sim (one run)",
          ["N", "parallelism", "wall s", "cpu s", "maxrss KiB", "state writes"], setup_rows)
    table("Plan scale (no latency): median of %d runs" % a.runs,
          ["N", "wall s", "cpu s", "maxrss KiB", "API calls", "exit 0"], rows)
    table("Plan scale, recon-sim -latency-ms %d: median of %d runs; Terraform-style bound = "
          "N x reads x %dms / 10" % (a.latency_ms, a.latency_runs, a.latency_ms),
          ["N", "wall s", "API calls", "bound(1 read) s", "ratio", "bound(provider reads) s",
           "ratio"], lrows)


# ----------------------------------------------------------------- front end
def front_end(a):
    import reconlib as rl
    import gen_stack
    n = max(a.sizes)
    d = tempfile.mkdtemp(prefix="recon-bench-front-")
    s = gen_stack.generate(n, d)
    rows = []
    for cmd in (["validate", "-no-color"], ["graph"]):
        ws, cs, rs, rcs = [], [], [], []
        for _ in range(a.runs):
            r = rl.run_measured(cmd, d, dict(os.environ, NO_COLOR="1"), timeout=600)
            ws.append(r["wall"])
            cs.append(r["cpu"])
            rs.append(r["maxrss_kb"])
            rcs.append(r["rc"])
            if r["rc"] != 0:
                note("front end: recon %s exited %d: %s" % (cmd[0], r["rc"], r["err"][-400:]))
        rows.append([cmd[0], s["total"], med(ws), med(cs), med(rs)])
        fig("front_end_wall", med(ws), "s", command=cmd[0], n=s["total"], runs=a.runs)
        fig("front_end_cpu", med(cs), "s", command=cmd[0], n=s["total"])
        fig("front_end_maxrss", med(rs), "KiB", command=cmd[0], n=s["total"])
    table("Front end alone (median of %d runs; graph = parse + evaluate + expand + DAG)" % a.runs,
          ["command", "N", "wall s", "cpu s", "maxrss KiB"], rows)


# ------------------------------------------------------------- critical path
START_RE = re.compile(r"^(.+?): (Creating|Modifying|Destroying)\.\.\.$")
DONE_RE = re.compile(r"^(.+?): (Creation|Modifications|Destruction) complete after")


def event_durations(lines):
    """{address: (start_s, end_s)} from time-stamped recon output lines."""
    start, out = {}, {}
    for t, line in lines:
        m = START_RE.match(line)
        if m:
            start[m.group(1)] = t
            continue
        m = DONE_RE.match(line)
        if m and m.group(1) in start:
            out[m.group(1)] = (start[m.group(1)], t)
    return out


def longest_path(nodes, deps, weight):
    """Length and path of the heaviest chain; deps: {node: [node it needs]}."""
    memo = {}

    def best(n, stack=()):
        if n in memo:
            return memo[n]
        if n in stack:
            return (0.0, [])
        w = weight(n)
        b = (0.0, [])
        for p in deps.get(n, []):
            if p in nodes:
                c = best(p, stack + (n,))
                if c[0] > b[0]:
                    b = c
        memo[n] = (b[0] + w, b[1] + [n])
        return memo[n]

    top = (0.0, [])
    for n in nodes:
        c = best(n)
        if c[0] > top[0]:
            top = c
    return top


def rtype(addr):
    """aws_nat_gateway from module.vpc.aws_nat_gateway.this[0]."""
    parts = re.sub(r"\[[^\]]*\]", "", addr).split(".")
    for i, p in enumerate(parts):
        if p.startswith("aws_") and i + 1 < len(parts):
            return p
    return parts[-2] if len(parts) > 1 else parts[0]


def physical_floor(t, lat_s, flags, destroy=False):
    """The least time one node can take in the simulator: one call's latency
    for the create/delete call, plus the simulator's provisioning delay and one
    more call (the read that sees it done) for the types that wait."""
    ms = lambda k, d: flags.get(k, d) / 1000.0
    if destroy:
        extra = {"aws_nat_gateway": ms("nat-delete-ms", 1000),
                 "aws_ecs_service": ms("target-drain-ms", 1000) + ms("task-stop-ms", 500)}.get(t, 0)
    else:
        extra = {"aws_nat_gateway": ms("nat-delay-ms", 1500),
                 "aws_lb": ms("alb-delay-ms", 1000),
                 "aws_ecs_service": ms("task-start-ms", 1000) + ms("target-health-ms", 1000),
                 }.get(t, 0)
    return lat_s + (extra + lat_s if extra else 0)


def one_walk(rl, d, env, args, lat_s, flags, destroy):
    st_before = rl.state_file(d) if destroy else None
    w = rl.Watched(args, d, env)
    rc = w.wait(timeout=1800)
    if rc != 0:
        return {"rc": rc, "text": w.text()}
    ev = event_durations(w.lines)
    st = st_before if destroy else rl.state_file(d)
    deps = {r["address"]: r.get("dependencies", []) for r in st["resources"]}
    if destroy:  # deletes run dependents first: reverse every edge
        rev = {}
        for n, ps in deps.items():
            for p in ps:
                rev.setdefault(p, []).append(n)
        deps = rev
    nodes = set(ev)
    sched, sched_path = longest_path(nodes, deps, lambda n: ev[n][1] - ev[n][0])
    allnodes = set(r["address"] for r in st["resources"])
    phys, phys_path = longest_path(allnodes, deps,
                                   lambda n: physical_floor(rtype(n), lat_s, flags, destroy))
    return {"rc": 0, "wall": w.wall, "sched": sched, "sched_path": sched_path, "phys": phys,
            "phys_path": phys_path, "nodes": len(ev),
            "durations": {k: round(v[1] - v[0], 3) for k, v in ev.items()}}


def critical_path(a):
    import reconlib as rl
    flags = sim_flag_defaults()
    lat = a.latency_ms
    lat_s = lat / 1000.0
    rows = []
    res = {"apply": [], "destroy": []}
    calls = {"apply": [], "destroy": []}
    for i in range(a.cp_runs):
        d = rl.copy_stack(os.path.join(SRC, "examples", "ecs-fargate"))
        with rl.Sim("-latency-ms", str(lat), "-seed", str(100 + i)) as sim:
            env = sim.env()
            for kind, args in (("apply", ["apply", "-auto-approve", "-no-color"]),
                               ("destroy", ["destroy", "-auto-approve", "-no-color"])):
                before = sim.calls()
                r = one_walk(rl, d, env, args, lat_s, flags, kind == "destroy")
                calls[kind].append(rl.calls_delta(before, sim.calls()).get("_total", 0))
                if r["rc"] != 0:
                    note("critical path run %d: %s exited %d: %s" % (i, kind, r["rc"],
                                                                    r["text"][-1500:]))
                    break
                res[kind].append(r)
    for kind in ("apply", "destroy"):
        rs = res[kind]
        if not rs:
            continue
        wall = med([r["wall"] for r in rs])
        sched = med([r["sched"] for r in rs])
        phys = med([r["phys"] for r in rs])
        rows.append([kind, len(rs), rs[0]["nodes"], med(calls[kind]), wall, sched, wall / sched,
                     phys, wall / phys])
        fig("%s_wall" % kind, wall, "s", stack="examples/ecs-fargate", latency_ms=lat,
            runs=len(rs), sim_flags=flags)
        fig("%s_api_calls" % kind, med(calls[kind]), "calls", stack="examples/ecs-fargate",
            latency_ms=lat)
        fig("%s_critical_path_measured" % kind, sched, "s", latency_ms=lat,
            path=rs[0]["sched_path"], basis="longest path of measured per-node durations")
        fig("%s_wall_over_measured_path" % kind, wall / sched, "ratio", latency_ms=lat)
        fig("%s_critical_path_physical" % kind, phys, "s", latency_ms=lat,
            path=rs[0]["phys_path"],
            basis="longest path of (1 call + sim delay + 1 poll) per node")
        fig("%s_wall_over_physical_path" % kind, wall / phys, "ratio", latency_ms=lat)
        print("\n  %s, slowest nodes (s): %s" % (kind, ", ".join(
            "%s %.2f" % kv for kv in sorted(rs[0]["durations"].items(),
                                            key=lambda kv: -kv[1])[:6])))
        print("  %s measured critical path: %s" % (kind, " -> ".join(rs[0]["sched_path"])))
    table("Apply/destroy of examples/ecs-fargate, -latency-ms %d, default sim delays (median of "
          "%d runs)" % (lat, a.cp_runs),
          ["walk", "runs", "nodes", "calls", "wall s", "path(measured) s", "ratio",
           "path(physical) s", "ratio"], rows)


# -------------------------------------------------------------------- deploy
def deploy(a):
    import reconlib as rl
    flags = sim_flag_defaults()
    lat = a.latency_ms
    # the simulator's own time for a rolling deploy: new tasks start and turn
    # healthy, then the old ones drain and stop
    sim_ms = (flags.get("task-start-ms", 1000) + flags.get("target-health-ms", 1000) +
              flags.get("target-drain-ms", 1000) + flags.get("task-stop-ms", 500))
    rows = []
    d = rl.copy_stack(os.path.join(SRC, "examples", "ecs-fargate"))
    with rl.Sim("-latency-ms", str(lat)) as sim:
        env = sim.env()
        r = rl.run_measured(["apply", "-auto-approve", "-no-color"], d, env, timeout=1800)
        if r["rc"] != 0:
            note("deploy: initial apply exited %d: %s" % (r["rc"], r["err"][-1000:]))
            return
        ws = []
        for i in range(a.deploy_runs):
            tag = "%d.0" % (i + 2)
            before = sim.calls()
            r = rl.run_measured(["apply", "-auto-approve", "-no-color", "-var", "image_tag=" + tag],
                                d, env, timeout=1800)
            c = rl.calls_delta(before, sim.calls()).get("_total", 0)
            if r["rc"] != 0:
                note("deploy %s exited %d: %s" % (tag, r["rc"], r["err"][-1000:]))
                continue
            ws.append(r["wall"])
            rows.append([tag, r["wall"], c, sim_ms / 1000.0, r["wall"] / (sim_ms / 1000.0)])
        if ws:
            fig("deploy_wall", med(ws), "s", latency_ms=lat, runs=len(ws))
            fig("deploy_sim_time", sim_ms / 1000.0, "s",
                basis="task-start + target-health + target-drain + task-stop")
            fig("deploy_wall_over_sim_time", med(ws) / (sim_ms / 1000.0), "ratio", latency_ms=lat)
    table("Image-tag deploy (plan + apply + steady state), -latency-ms %d" % lat,
          ["tag", "wall s", "calls", "sim deploy s", "ratio"], rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("RECON_BUILD_DIR", os.path.join(SRC, "build")))
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency-runs", type=int, default=3)
    ap.add_argument("--cp-runs", type=int, default=3)
    ap.add_argument("--deploy-runs", type=int, default=3)
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--parallelism", type=int, default=10,
                    help="-parallelism of the plan-scale set-up apply (recon's default, 10)")
    ap.add_argument("--apply-budget", type=int, default=1200,
                    help="seconds allowed for setting up one plan-scale stack")
    ap.add_argument("--only", default="plan,front,critical,deploy")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "latest.json"))
    a = ap.parse_args()
    a.sizes = [int(x) for x in a.sizes.split(",") if x]
    build = os.path.abspath(a.build)
    os.environ.setdefault("RECON", os.path.join(build, "recon"))
    os.environ.setdefault("RECON_SIM", os.path.join(build, "recon-sim"))
    os.environ.setdefault("RECON_SOURCE_DIR", SRC)
    t0 = time.time()
    only = set(a.only.split(","))
    parts = [("plan", plan_scale), ("front", front_end), ("critical", critical_path),
             ("deploy", deploy)]
    for key, fn in parts:
        if key in only:
            try:
                fn(a)
            except Exception as e:  # one broken part must not hide the others' figures
                import traceback
                traceback.print_exc()
                note("%s: %s: %s" % (key, type(e).__name__, e))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    meta = {"generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": round(time.time() - t0, 1), "cpus": os.cpu_count()}
    for f_ in FIGS:
        f_["parameters"].setdefault("generated", meta["generated"])
    with open(a.out, "w") as f:
        json.dump(FIGS, f, indent=1, sort_keys=True)
    with open(os.path.splitext(a.out)[0] + ".notes.json", "w") as f:
        json.dump({"meta": meta, "notes": NOTES}, f, indent=1)
    print("\nwrote %s (%d figures, %d notes) in %.0fs" % (a.out, len(FIGS), len(NOTES),
                                                         time.time() - t0))
    return 1 if not FIGS else 0


if __name__ == "__main__":
    sys.exit(main())
