"""The demo's sequence (examples/demo.sh) as an end-to-end test of the
reference stack examples/ecs-fargate against recon-sim, with assertions on
the plans and on the simulator's state after every step:

  plan (everything is a create) -> apply 1.0 -> plan: no changes ->
  plan 2.0: exactly the task definition replaced and the service updated ->
  apply 2.0: the service runs a 2.0 revision -> apply bad: exit 1, "rolled
  back", the service still on the 2.0 revision (sim and next plan) ->
  apply 1.0: no new revision when 1.0's is still ACTIVE -> output ->
  destroy: nothing of the stack left.

No duplicates or orphans after any step.

Then examples/existing-vpc: a network stack made with modules/vpc (named
"shared"), the application joined to it through data sources, destroyed
again without touching the network."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reconlib  # noqa: E402
from reconlib import Sim, copy_stack, duplicates_and_orphans, state_file  # noqa: E402

STACK = os.path.join(reconlib.SRC, "examples", "ecs-fargate")
REPO = "public.ecr.aws/docker/library/my-app"
TD = "module.ecs.aws_ecs_task_definition.this"
SVC = "module.ecs.aws_ecs_service.this"

T0 = time.monotonic()


def recon(args, cwd, env, check=None):
    """reconlib.recon, and what recon prints must be valid UTF-8 (reconlib
    decodes with errors="replace": U+FFFD means recon printed bad bytes,
    e.g. a message built from freed memory)."""
    rc, out, err = reconlib.recon(args, cwd, env, check=check)
    for name, text in (("stdout", out), ("stderr", err)):
        i = text.find("\ufffd")
        assert i < 0, "recon %s printed invalid UTF-8 on %s: %r" % (
            " ".join(args), name, text[max(0, i - 160):i + 40])
    return rc, out, err


def log(msg):
    print("[%5.1fs] %s" % (time.monotonic() - T0, msg), flush=True)


def plan_json(cwd, env, *args, expect):
    """recon plan -detailed-exitcode -json ARGS; returns the plan document."""
    rc, out, err = recon(["plan", "-detailed-exitcode", "-json", "-input=false"] + list(args),
                         cwd, env, check=expect)
    try:
        return json.loads(out)
    except ValueError as e:
        raise AssertionError("plan -json printed no JSON document (%s): %r" % (e, out[:400]))


def changes(doc):
    """{address: actions} of managed resources with something to do."""
    out = {}
    for rc in doc.get("resource_changes", []):
        if rc.get("mode", "managed") != "managed":
            continue
        acts = rc["change"]["actions"]
        if acts != ["no-op"] and acts != ["read"]:
            out[rc["address"]] = acts
    return out


def change_of(doc, address):
    for rc in doc.get("resource_changes", []):
        if rc["address"] == address:
            return rc["change"]
    return None


def ecs(sim_state):
    return sim_state.get("ecs", {})


def live_services(st, name="my-app"):
    return [s for s in ecs(st).get("services", [])
            if s.get("serviceName") == name and s.get("status") not in ("INACTIVE", "DRAINING")]


def task_definitions(st, family="my-app", status="ACTIVE"):
    return [t for t in ecs(st).get("task_definitions", [])
            if t.get("family") == family and (status is None or t.get("status") == status)]


def image_of_td(st, arn):
    for t in ecs(st).get("task_definitions", []):
        if t.get("taskDefinitionArn") == arn:
            return t["containerDefinitions"][0]["image"]
    raise AssertionError("task definition %s is not in the simulator" % arn)


def service_td(st):
    svcs = live_services(st)
    assert len(svcs) == 1, "expected one live my-app service, got %d" % len(svcs)
    return svcs[0]["taskDefinition"]


def primary_running(st):
    s = live_services(st)[0]
    prim = [d for d in s.get("deployments", []) if d.get("status") == "PRIMARY"]
    return s, prim


def no_dups_or_orphans(sim, cwd, when):
    dups, orphans = duplicates_and_orphans(sim, cwd)
    assert not dups, "%s: duplicates %s" % (when, dups)
    assert not orphans, "%s: orphans %s" % (when, orphans)


def state_attr(cwd, address, name):
    for r in state_file(cwd)["resources"]:
        if r["address"] == address:
            return r["attributes"].get(name)
    return None


def main():
    root = None
    with Sim("-unhealthy-image", ":bad$") as sim:
        env = sim.env()
        cwd = copy_stack(STACK)
        root = os.path.dirname(os.path.dirname(cwd))
        try:
            run(sim, env, cwd)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    log("ok: the demo sequence")
    existing_vpc()
    log("ok: existing-vpc")


def existing_vpc():
    with Sim() as sim:
        env = sim.env()
        app = copy_stack(os.path.join(reconlib.SRC, "examples", "existing-vpc"))
        root = os.path.dirname(os.path.dirname(app))
        try:
            net = os.path.join(root, "examples", "net")
            os.makedirs(net)
            with open(os.path.join(net, "main.tf"), "w") as f:
                f.write('provider "aws" {\n  region = "us-east-1"\n}\n\n'
                        'module "vpc" {\n  source = "../../modules/vpc"\n  name   = "shared"\n}\n')
            recon(["apply", "-auto-approve", "-input=false"], net, env, check=0)
            vpc_id = state_attr(net, "module.vpc.aws_vpc.this", "id")
            private = sorted(r["id"] for r in state_file(net)["resources"]
                             if r["address"].startswith("module.vpc.aws_subnet.private"))
            recon(["apply", "-auto-approve", "-input=false"], app, env, check=0)
            rc, out, _ = recon(["output", "-json"], app, env, check=0)
            assert json.loads(out)["vpc_id"]["value"] == vpc_id, out
            st = sim.state()
            svc = live_services(st)
            assert len(svc) == 1, svc
            subnets = sorted(svc[0]["networkConfiguration"]["awsvpcConfiguration"]["subnets"])
            assert subnets == private, "service in %s, private subnets are %s" % (subnets, private)
            assert not any(r["address"].startswith("module.vpc") or r["type"] == "aws_vpc"
                           for r in state_file(app)["resources"] if r.get("mode") == "managed")
            no_dups_or_orphans(sim, app, "existing-vpc apply")
            plan_json(app, env, expect=0)
            recon(["destroy", "-auto-approve", "-input=false"], app, env, check=0)
            # the network is untouched
            plan_json(net, env, expect=0)
            no_dups_or_orphans(sim, net, "existing-vpc destroy")
            recon(["destroy", "-auto-approve", "-input=false"], net, env, check=0)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def run(sim, env, cwd):
    # 1. the first plan: every resource is a create
    doc = plan_json(cwd, env, expect=2)
    ch = changes(doc)
    assert ch and all(a == ["create"] for a in ch.values()), ch
    for a in (TD, SVC, "module.vpc.aws_nat_gateway.this[0]", "module.alb.aws_lb.this",
              "module.vpc.aws_subnet.private[1]", "module.security.aws_security_group.app"):
        assert a in ch, "%s not planned: %s" % (a, sorted(ch))
    n_resources = len(ch)
    log("plan: %d creates" % n_resources)

    # 2. apply 1.0
    recon(["apply", "-auto-approve", "-input=false"], cwd, env, check=0)
    st = sim.state()
    td1 = service_td(st)
    assert image_of_td(st, td1) == REPO + ":1.0", image_of_td(st, td1)
    svc, prim = primary_running(st)
    assert svc.get("desiredCount") == 2, svc.get("desiredCount")
    assert svc.get("runningCount") == 2, "runningCount %s after a steady apply" % svc.get("runningCount")
    assert state_attr(cwd, TD, "arn") == td1
    assert len(state_file(cwd)["resources"]) >= n_resources
    no_dups_or_orphans(sim, cwd, "after apply 1.0")
    log("apply 1.0: service on %s" % td1)

    # 3. no changes right after
    plan_json(cwd, env, expect=0)
    log("plan: no changes")

    # 4. a deploy plans exactly: task definition replaced, service updated
    doc = plan_json(cwd, env, "-var", "image_tag=2.0", expect=2)
    ch = changes(doc)
    assert set(ch) == {TD, SVC}, "deploy plan touches more than the task definition and service: %s" % ch
    assert ch[TD] in (["delete", "create"], ["create", "delete"]), ch[TD]
    assert ch[SVC] == ["update"], ch[SVC]
    tdc = change_of(doc, TD)
    after = tdc.get("after") or {}
    if isinstance(after.get("container_definitions"), str):
        assert REPO + ":2.0" in after["container_definitions"], after["container_definitions"]
    log("plan 2.0: %s" % ch)

    # 5. deploy 2.0
    recon(["apply", "-auto-approve", "-input=false", "-var", "image_tag=2.0"], cwd, env, check=0)
    st = sim.state()
    td2 = service_td(st)
    assert td2 != td1
    assert image_of_td(st, td2) == REPO + ":2.0", image_of_td(st, td2)
    assert live_services(st)[0].get("runningCount") == 2
    no_dups_or_orphans(sim, cwd, "after apply 2.0")
    plan_json(cwd, env, "-var", "image_tag=2.0", expect=0)
    log("apply 2.0: service on %s" % td2)

    # 6. a bad image: the circuit breaker rolls back, the apply fails clearly
    rc, out, err = recon(["apply", "-auto-approve", "-input=false", "-var", "image_tag=bad"], cwd, env)
    assert rc == 1, "apply of a bad image exited %d\n%s\n%s" % (rc, out, err)
    assert "rolled back" in err.lower(), "no 'rolled back' in stderr:\n" + err
    st = sim.state()
    assert service_td(st) == td2, "after the rollback the service runs %s, not %s" % (service_td(st), td2)
    assert image_of_td(st, service_td(st)) == REPO + ":2.0"
    no_dups_or_orphans(sim, cwd, "after the bad apply")
    # the next plan: the service is still on the 2.0 revision
    doc = plan_json(cwd, env, "-var", "image_tag=bad", expect=2)
    svc_change = change_of(doc, SVC)
    assert svc_change is not None, "the plan after the rollback does not mention the service"
    assert svc_change["actions"] == ["update"], svc_change["actions"]
    assert svc_change["before"]["task_definition"] == td2, \
        "plan says the service runs %s, not %s" % (svc_change["before"]["task_definition"], td2)
    log("apply bad: exit 1, rolled back; service still on %s" % td2)

    # 7. rollback to 1.0: 1.0's revision is still ACTIVE, nothing registered
    st = sim.state()
    before_revs = {t["taskDefinitionArn"] for t in task_definitions(st, status=None)}
    one_active = td1 in {t["taskDefinitionArn"] for t in task_definitions(st)}
    recon(["apply", "-auto-approve", "-input=false", "-var", "image_tag=1.0"], cwd, env, check=0)
    st = sim.state()
    after_revs = {t["taskDefinitionArn"] for t in task_definitions(st, status=None)}
    now = service_td(st)
    assert image_of_td(st, now) == REPO + ":1.0"
    if one_active:
        assert after_revs == before_revs, "rollback registered %s" % (after_revs - before_revs)
        assert now == td1, "rollback runs %s, expected the old revision %s" % (now, td1)
    no_dups_or_orphans(sim, cwd, "after the rollback")
    plan_json(cwd, env, expect=0)
    log("rollback 1.0: service on %s (%s)" % (now, "reused" if one_active else "new revision"))

    # 8. outputs
    rc, out, err = recon(["output", "-json"], cwd, env, check=0)
    outs = json.loads(out)
    assert outs["image"]["value"] == REPO + ":1.0", outs["image"]
    assert outs["service_name"]["value"] == "my-app", outs["service_name"]
    assert outs["alb_dns_name"]["value"], outs["alb_dns_name"]
    assert outs["log_group_name"]["value"] == "/ecs/my-app", outs["log_group_name"]

    # 9. destroy: nothing of the stack is left
    stack = state_file(cwd)["lineage"]
    recon(["destroy", "-auto-approve", "-input=false"], cwd, env, check=0)
    st = sim.state()
    left = reconlib.stack_leftovers(sim, stack, st)
    assert not left, "left after destroy: %s" % left
    assert not live_services(st), "service left after destroy"
    assert not [v for v in st.get("ec2", {}).get("vpcs", []) if reconlib.live_alive(v)], "VPC left"
    assert not st.get("elasticloadbalancing", {}).get("load_balancers"), "load balancer left"
    assert not [g for g in st.get("logs", {}).get("log_groups", [])
                if g.get("logGroupName", g.get("name")) == "/ecs/my-app"], "log group left"
    assert not state_file(cwd)["resources"], "state still lists resources after destroy"
    log("destroy: nothing left")


if __name__ == "__main__":
    main()
