// Lint rules: the recommended sets, plus the few habits STYLE.md asks for.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // The addon's dashboard bundle is generated from web_components/ (linted there); dist/ is the compiled server.
  { ignores: ["node_modules/", "odoo_addon/**/static/src/dashboard/dashboard.js", ".data/", "artifacts/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      eqeqeq: ["error", "smart"],
    },
  },
);
