import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` starts the API at http://localhost:3000 by default (its public URL).
const API_TARGET = "http://127.0.0.1:3000";
const API_ORIGIN = "http://localhost:3000";

// Paths are relative to this folder (Vite's root), so `npm run build -w @clawcloud/web`
// and `npx vite build apps/web` both write to apps/web/dist.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Keep the font files as real files (never base64 in CSS) so `font-src 'self'` is enough.
    assetsInlineLimit: 0,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": {
        target: API_TARGET,
        // The API accepts state-changing requests only from its own origin (CSRF defence). In
        // development the page lives on Vite's port, so the proxy presents the API's origin.
        configure: (proxy) => {
          proxy.on("proxyReq", (proxyReq) => {
            if (proxyReq.getHeader("origin")) proxyReq.setHeader("origin", API_ORIGIN);
          });
        },
      },
    },
  },
  preview: { host: "127.0.0.1", port: 4173 },
});
