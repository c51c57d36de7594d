locals {
  role_arn = provider::aws::arn_build("aws", "iam", "", "123456789012", "role/app")
  project  = provider::google::project_id_from_self_link("x")
}
