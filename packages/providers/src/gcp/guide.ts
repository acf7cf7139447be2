// What a user grants Claw Cloud in GCP, as data for the Cloud accounts page: a service account
// with two predefined roles on the project, compute.instanceAdmin.v1 (instances, disks, zone
// operations) and compute.securityAdmin (firewall rules), and NOT iam.serviceAccountUser: Claw
// Cloud attaches no service account to its VMs, so they hold no Google credentials.

/** The permissions the driver uses, checked with testIamPermissions when the key is added. */
export const GCP_REQUIRED_PERMISSIONS = [
  "compute.instances.create",
  "compute.instances.get",
  "compute.instances.list",
  "compute.instances.delete",
  "compute.instances.reset",
  "compute.instances.setMetadata",
  "compute.instances.setLabels",
  "compute.instances.setTags",
  "compute.disks.create",
  "compute.subnetworks.use",
  "compute.subnetworks.useExternalIp",
  "compute.networks.updatePolicy",
  "compute.firewalls.create",
  "compute.firewalls.get",
  "compute.firewalls.list",
  "compute.firewalls.delete",
  "compute.zoneOperations.get",
  "compute.globalOperations.get",
  "compute.zones.list",
  "compute.machineTypes.list",
] as const;

export const GCP_ROLES = ["roles/compute.instanceAdmin.v1", "roles/compute.securityAdmin"] as const;

export const gcpGuide = {
  tokenUrl: "https://console.cloud.google.com/iam-admin/serviceaccounts",
  permissions: [...GCP_ROLES],
  notes: [
    "Least privilege: a service account of its own with exactly these two roles on the project: compute.instanceAdmin.v1 (servers and their disks) and compute.securityAdmin (the firewall rule that closes each server). Do not grant iam.serviceAccountUser: Claw Cloud attaches no service account to its servers, so they hold no Google credentials.",
    "1. gcloud iam service-accounts create clawcloud --project <project>.",
    "2. gcloud projects add-iam-policy-binding <project> --member serviceAccount:clawcloud@<project>.iam.gserviceaccount.com --role roles/compute.instanceAdmin.v1, then the same with --role roles/compute.securityAdmin.",
    "3. gcloud iam service-accounts keys create key.json --iam-account clawcloud@<project>.iam.gserviceaccount.com, and paste the whole file here. Delete the key in the console to revoke Claw Cloud's access.",
    'Servers join the project\'s "default" network (the Compute Engine API must be enabled), with a firewall rule denying all inbound traffic, block-project-ssh-keys, no SSH key and no password, labelled clawcloud-instance.',
  ].join("\n"),
};
