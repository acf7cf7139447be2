// Static facts the EC2 API does not give us.
//
// PRICES ARE A COMMITTED TABLE, NOT AN API ANSWER. EC2 itself has no price call (the AWS Price List
// API is a separate service with multi-megabyte documents). The hourly figures below are AWS's
// published On-Demand list prices for Linux in us-east-1 (N. Virginia), USD, per
// aws.amazon.com/ec2/pricing/on-demand/ (unchanged for these types since launch, as of the 2024
// price list). They were entered from that published list, NOT fetched or re-checked here (this
// project's machines have no internet access): a person must verify them against the page before
// they are shown as prices, and whenever the table is touched. Other regions cost more
// (eu-central-1 about 15 % more, ap-southeast-1 about 25 %), so the wizard should call these
// "from" prices. Monthly = hourly × 730 h, plus the 20 GB gp3 root volume every server gets
// (us-east-1 gp3: $0.08 per GB-month = $1.60). Data transfer out is extra and not included.

/** The root EBS volume every Claw Cloud server gets (GB, gp3). */
export const ROOT_VOLUME_GB = 20;
const GP3_USD_PER_GB_MONTH = 0.08;
const HOURS_PER_MONTH = 730;

/** us-east-1 Linux On-Demand USD per hour. Every type here is x86_64, ≥ 2 GiB, EBS-only. */
export const ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, number>> = {
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "t3.xlarge": 0.1664,
  "t3a.small": 0.0188,
  "t3a.medium": 0.0376,
  "t3a.large": 0.0752,
  "t3a.xlarge": 0.1504,
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m6a.large": 0.0864,
  "c6i.large": 0.085,
};

/** The sizes we offer, in display order. */
export const CURATED_INSTANCE_TYPES = Object.keys(ON_DEMAND_USD_PER_HOUR);

export function monthlyPriceCents(instanceType: string): number | undefined {
  const hourly = ON_DEMAND_USD_PER_HOUR[instanceType];
  if (hourly === undefined) return undefined;
  return Math.round((hourly * HOURS_PER_MONTH + ROOT_VOLUME_GB * GP3_USD_PER_GB_MONTH) * 100);
}

/** AWS's display names for its regions (DescribeRegions returns only the code). */
export const REGION_NAMES: Readonly<Record<string, { name: string; location: string }>> = {
  "us-east-1": { name: "US East (N. Virginia)", location: "Virginia, US" },
  "us-east-2": { name: "US East (Ohio)", location: "Ohio, US" },
  "us-west-1": { name: "US West (N. California)", location: "California, US" },
  "us-west-2": { name: "US West (Oregon)", location: "Oregon, US" },
  "ca-central-1": { name: "Canada (Central)", location: "Montreal, CA" },
  "sa-east-1": { name: "South America (São Paulo)", location: "São Paulo, BR" },
  "eu-central-1": { name: "Europe (Frankfurt)", location: "Frankfurt, DE" },
  "eu-central-2": { name: "Europe (Zurich)", location: "Zurich, CH" },
  "eu-west-1": { name: "Europe (Ireland)", location: "Dublin, IE" },
  "eu-west-2": { name: "Europe (London)", location: "London, GB" },
  "eu-west-3": { name: "Europe (Paris)", location: "Paris, FR" },
  "eu-north-1": { name: "Europe (Stockholm)", location: "Stockholm, SE" },
  "eu-south-1": { name: "Europe (Milan)", location: "Milan, IT" },
  "eu-south-2": { name: "Europe (Spain)", location: "Aragón, ES" },
  "ap-northeast-1": { name: "Asia Pacific (Tokyo)", location: "Tokyo, JP" },
  "ap-northeast-2": { name: "Asia Pacific (Seoul)", location: "Seoul, KR" },
  "ap-northeast-3": { name: "Asia Pacific (Osaka)", location: "Osaka, JP" },
  "ap-southeast-1": { name: "Asia Pacific (Singapore)", location: "Singapore, SG" },
  "ap-southeast-2": { name: "Asia Pacific (Sydney)", location: "Sydney, AU" },
  "ap-south-1": { name: "Asia Pacific (Mumbai)", location: "Mumbai, IN" },
  "ap-east-1": { name: "Asia Pacific (Hong Kong)", location: "Hong Kong, HK" },
  "me-central-1": { name: "Middle East (UAE)", location: "UAE" },
  "af-south-1": { name: "Africa (Cape Town)", location: "Cape Town, ZA" },
};

/** Debian's official AMIs are published by this AWS account (wiki.debian.org/Cloud/AmazonEC2Image). */
export const DEBIAN_OWNER_ID = "136693071363";
export const DEBIAN_12_NAME_PATTERN = "debian-12-amd64-*";
