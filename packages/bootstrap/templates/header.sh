#!/bin/bash
## Claw Cloud bootstrap (@clawcloud/bootstrap). Safe to re-run. Progress: "clawcloud-step:" lines; log: $CC_LOG.
# Lines starting with "##" survive minification; plain "#" comments are for template readers only.
set -Eeuo pipefail
@@VALUES@@
