import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfigFile } from "../offline/stack-files";

/** The offline plan reads config as the Pulumi engine assembles it: project defaults, then the stack file. */
describe("stack config files", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-config-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            [
                "name: org-access",
                "runtime: nodejs",
                "config:",
                "  org-access:teams:",
                "    value: [{name: admins, groups: [admins]}]",
                "  regions:",
                "    default: [us-east-1, us-west-2]",
            ].join("\n"),
        );
        fs.writeFileSync(
            path.join(dir, "Pulumi.shard.yaml"),
            [
                "config:",
                "  aws:region: eu-west-1",
                "  org-access:regions: [eu-west-1, eu-west-2]",
                "  org-access:accessAccount: access",
                "  org-access:password:",
                "    secure: AAABAAAA",
            ].join("\n"),
        );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("takes project config, lets the stack file override it, and keeps plain strings plain", () => {
        expect(readStackConfigFile(path.join(dir, "Pulumi.shard.yaml"))).to.deep.equal({
            "org-access:teams": '[{"name":"admins","groups":["admins"]}]',
            "org-access:regions": '["eu-west-1","eu-west-2"]',
            "aws:region": "eu-west-1",
            "org-access:accessAccount": "access",
            "org-access:password": "[secret]",
        });
    });
});
