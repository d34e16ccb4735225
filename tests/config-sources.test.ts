import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { keyPath, SourcedConfigError, validatedProjectConfig, validatedStackConfig } from "../offline/config-sources";
import { ConfigErrors } from "../offline/yaml-errors";
import { YamlPositions } from "../offline/yaml-positions";

/**
 * Issue #22: a config error names the file, line and column its value was written at, wherever
 * the Pulumi CLI would have read it from (stack file over project file, `value:` or `default:`,
 * namespaced or not, block or flow style), and shows an unquoted number as written.
 */
const HEAD = "name: org-access\nruntime: nodejs\n";
const MGMT = "config:\n  org-access:deploy:\n    customerAccess: true\n";

function organization(accounts: string, key = "org-access:organization", layer = "value"): string {
    return [
        `  ${key}:`,
        `    ${layer}:`,
        "      id: o-a1b2c3d4e5",
        '      managementAccountId: "111111111111"',
        "      accounts:",
        accounts,
        "  org-access:customerAccess:",
        "    value: {}",
    ].join("\n");
}

describe("config errors name the file and line their value was written at", () => {
    let dir: string;
    let n = 0;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), `org-access-sources-${n++}-`))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function project(config: string, stacks: Record<string, string> = { mgmt: MGMT }): string {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${HEAD}config:\n${config}\n`);
        for (const [stack, text] of Object.entries(stacks)) {
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
        }
        return dir;
    }

    function errorOf(stack = "mgmt"): SourcedConfigError {
        try {
            validatedStackConfig({ stack, projectDir: dir });
        } catch (e) {
            expect(e).to.be.instanceOf(SourcedConfigError);
            return e as SourcedConfigError;
        }
        throw new Error("expected a config error, but the config was accepted");
    }

    const cases: { name: string; config: string; line: number; column: number; says: string }[] = [
        {
            name: "a block sequence item under value:",
            config: organization('        - name: access\n          id: "4444"'),
            line: 10,
            column: 15,
            says: 'org-access:organization.accounts[0].id: "4444" is not a 12-digit account id',
        },
        {
            name: "a flow mapping in a flow sequence",
            config: organization('        [{name: access, id: "222222222222"}, {name: prod, id: "44"}]'),
            line: 9,
            column: 63,
            says: 'org-access:organization.accounts[1].id: "44" is not a 12-digit account id',
        },
        {
            name: "a key of the project's namespace written without it",
            config: organization('        - name: access\n          id: "4444"', "organization"),
            line: 10,
            column: 15,
            says: "org-access:organization.accounts[0].id",
        },
        {
            name: "a default: instead of value:",
            config: organization('        - name: access\n          id: "4444"', "organization", "default"),
            line: 10,
            column: 15,
            says: "org-access:organization.accounts[0].id",
        },
        {
            name: "an unknown key, at the key",
            config: organization('        - name: access\n          id: "222222222222"\n          # a comment\n          acount: x'),
            line: 12,
            column: 11,
            says: "org-access:organization.accounts[0].acount: unknown key",
        },
        {
            name: "an unquoted id, shown as written",
            config: organization("        - name: access\n          id: 022222222222"),
            line: 10,
            column: 15,
            says: 'org-access:organization.accounts[0].id: 022222222222 is unquoted, so YAML reads it as the number 22222222222; quote it: "022222222222"',
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            project(c.config);
            const error = errorOf();
            expect(error.message, error.message).to.include(`${path.join(dir, "Pulumi.yaml")}:${c.line}:${c.column}: `);
            expect(error.message).to.include(c.says);
            expect(error.message).not.to.include("\n");
        });
    }

    it("a key the stack file sets is named in the stack file, not in Pulumi.yaml", () => {
        project(organization('        - name: access\n          id: "222222222222"'), {
            mgmt: `${MGMT}  org-access:organization:\n    id: o-a1b2c3d4e5\n    managementAccountId: "111111111111"\n    accounts: [{name: access, id: "9"}]\n`,
        });
        expect(errorOf().message, errorOf().message).to.include(
            `${path.join(dir, "Pulumi.mgmt.yaml")}:7:35: org-access:organization.accounts[0].id: "9"`,
        );
    });

    it("the whole project: one line per distinct mistake, a shared one once", () => {
        const own = `${MGMT}  org-access:organization:\n    id: o-a1b2c3d4e5\n    managementAccountId: "1"\n    accounts: []\n`;
        project(organization("        - name: access\n          id: 022222222222"), { mgmt: MGMT, other: own, third: MGMT });
        let error: unknown;
        try {
            validatedProjectConfig(dir, ["mgmt", "other", "third"]);
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigErrors);
        const lines = (error as ConfigErrors).errors.map((e) => e.message);
        expect(lines).to.have.length(2);
        expect(lines[0]).to.match(
            new RegExp(`^${path.join(dir, "Pulumi.yaml")}:10:15: org-access:organization.accounts\\[0\\].id: 022222222222`),
        );
        expect(lines[1]).to.match(
            new RegExp(`^${path.join(dir, "Pulumi.other.yaml")}:6:26: org-access:organization.managementAccountId: "1"`),
        );
    });

    it("reads a key path as its flat key and the steps inside its value", () => {
        expect(keyPath("org-access:organization.accounts[1].id")).to.deep.equal({
            flatKey: "org-access:organization",
            steps: ["accounts", 1, "id"],
        });
        expect(keyPath("aws:region")).to.deep.equal({ flatKey: "aws:region", steps: [] });
        expect(keyPath("org-access:roles[0].accounts[2]")).to.deep.equal({ flatKey: "org-access:roles", steps: [0, "accounts", 2] });
    });

    it("finds positions past comments and sequence dashes, and reports how deep a missing path reached", () => {
        const positions = YamlPositions.ofText("a:\n  # note\n  b:\n    - x\n    -   'y'\n");
        expect(positions.locate(["a", "b", 1])).to.deep.include({ depth: 3 });
        expect(positions.locate(["a", "b", 1])?.position).to.deep.include({ line: 5, column: 9, source: "'y'", plain: false });
        expect(positions.locate(["a", "c"])?.depth).to.equal(1);
        expect(positions.locate(["z"])).to.equal(undefined);
    });
});
