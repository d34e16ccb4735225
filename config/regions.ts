/**
 * AWS regions, from the provider's own list: the `Region` enum of `@pulumi/aws`
 * (`types/enums`), which the provider's releases regenerate with each region AWS
 * opens. A region outside it is a typo that `pulumi up` would only meet at the
 * first API call (the provider defaults `skipRegionValidation` to true), so it
 * is refused here, before the first resource. A region newer than the pinned
 * provider needs a newer `@pulumi/aws`.
 */
import { Region } from "@pulumi/aws/types/enums";
import { show } from "./errors";
import { nearest } from "./nearest";
import { ConfigValue } from "./reader";

/** Every region `@pulumi/aws` knows, in every partition. */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/** Reads a region name, refusing one the provider does not know, with the nearest it does. */
export function regionName(value: ConfigValue): string {
    const region = value.string();
    if (!AWS_REGIONS.includes(region)) {
        const near = nearest(region, AWS_REGIONS);
        value.fail(
            `${show(region)} is not an AWS region${near ? ` (did you mean ${show(near)}?)` : ""}; the regions are @pulumi/aws's Region list`,
        );
    }
    return region;
}
