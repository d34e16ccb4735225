import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfig } from "./stack";

/** Reads and validates this stack's config. Call before registering any resource. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig());
}
