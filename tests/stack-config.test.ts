import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configFileFor, readProject, readStackConfig, readStackConfigFile, stackNames } from "../offline/stack-files";

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

    it("reads a project as the Pulumi CLI does: stackConfigDir, stacks found there, every accepted form of project config", () => {
        const project = path.join(dir, "with-dir");
        fs.mkdirSync(path.join(project, "stacks"), { recursive: true });
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            [
                "name: acme-access",
                "runtime:",
                "  name: nodejs",
                "  options: {typescript: true}",
                "stackConfigDir: stacks",
                "config:",
                "  accessAccount: access",
                "  mfaDays: 7",
                "  strict: true",
                "  regions:",
                "    type: array",
                "    items: {type: string}",
                "    default: [us-east-1]",
                "  acme-access:teams:",
                "    value: [{name: admins, groups: [admins]}]",
                "  aws:region:",
                "    value: eu-west-1",
                "  acme-access:optional:",
                "    type: string",
                "    description: declared, no value",
            ].join("\n"),
        );
        fs.writeFileSync(path.join(project, "stacks", "Pulumi.b.yaml"), "config:\n  aws:region: eu-west-2\n");
        fs.writeFileSync(path.join(project, "stacks", "Pulumi.a.yaml"), "config:\n  acme-access:accessAccount: other\n");
        fs.writeFileSync(path.join(project, "Pulumi.ignored.yaml"), "config: {}\n");

        const read = readProject(project);
        expect(read.name).to.equal("acme-access");
        expect(read.stackConfigDir).to.equal(path.join(project, "stacks"));
        expect(read.stacks).to.deep.equal(["a", "b"]);
        expect(stackNames(project)).to.deep.equal(["a", "b"]);
        expect(configFileFor("a", project)).to.equal(path.join(project, "stacks", "Pulumi.a.yaml"));
        expect(read.projectConfig).to.deep.equal({
            "acme-access:accessAccount": "access",
            "acme-access:mfaDays": "7",
            "acme-access:strict": "true",
            "acme-access:regions": '["us-east-1"]',
            "acme-access:teams": '[{"name":"admins","groups":["admins"]}]',
            "aws:region": "eu-west-1",
        });
        expect(readStackConfig("a", { projectDir: project })).to.deep.include({
            "acme-access:accessAccount": "other",
            "aws:region": "eu-west-1",
        });
        expect(readStackConfig("b", { projectDir: project })).to.deep.include({
            "aws:region": "eu-west-2",
            "acme-access:accessAccount": "access",
        });
        expect(readStackConfigFile(path.join(project, "stacks", "Pulumi.b.yaml"), { projectDir: project })).to.deep.include({
            "acme-access:mfaDays": "7",
        });
        expect(() => readStackConfig("ignored", { projectDir: project })).to.throw('no such stack "ignored"');
    });
});
