# Values recon must compute exactly as Terraform does, checked by
# `recon validate` through output preconditions. (Resource attributes are
# unknown during validate, so the checks recompute the modules' idioms on
# locals and variables.)
locals {
  check_az_idx = [for az in var.azs : length(regexall("^[a-z]{2}-", az)) > 0 ? "name" : "id"]
  check_public_name = [
    for i in range(length(var.azs)) : try(
      var.public_subnet_names[i],
      format("${var.name}-${var.public_subnet_suffix}-%s", element(var.azs, i))
    )
  ]
  check_tags = merge(
    { Name = local.check_public_name[0] },
    var.tags,
    lookup(var.public_subnet_tags_per_az, element(var.azs, 0), {})
  )
}

output "conformance" {
  value = "ok"

  precondition {
    condition     = local.nat_gateway_count == 3 && local.max_subnet_length == 3
    error_message = "nat_gateway_count=${local.nat_gateway_count} max_subnet_length=${local.max_subnet_length}"
  }
  precondition {
    condition     = local.check_az_idx == ["name", "name", "id"]
    error_message = "az vs az id: ${jsonencode(local.check_az_idx)}"
  }
  precondition {
    condition     = local.check_tags == { Name = "conf-public-eu-west-1a", Terraform = "true", Tier = "edge" }
    error_message = "public tags: ${jsonencode(local.check_tags)}"
  }
  precondition {
    condition     = element(concat(var.public_subnets, [""]), 5) == "10.0.102.0/24"
    error_message = "element wraps around"
  }
  precondition {
    condition     = length(local.nat_gateway_ips) == 3 && local.vpc_id != ""
    error_message = "nat ips and vpc id: ${length(local.nat_gateway_ips)}"
  }
  precondition {
    condition     = local.create_public_subnets && !(false == var.one_nat_gateway_per_az)
    error_message = "boolean idioms"
  }
}
