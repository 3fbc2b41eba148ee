// ESLint (flat config) for the web app's browser modules and their node:test unit tests.
// `make lint` runs it; the version is pinned in package-lock.json.
import js from "@eslint/js";
import globals from "globals";

export default [
  // Python's virtual environments hold other projects' JavaScript; node_modules is skipped anyway.
  { ignores: [".venv/", ".tools/", "build/", "dist/", "bench/results/"] },
  js.configs.recommended,
  {
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
      "no-implicit-globals": "error",
      "no-shadow": "error",
      "object-shorthand": "error",
    },
  },
  {
    files: ["src/deskstretch/web/static/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
