;;; slopguard-eglot.el --- slopguard's language server in Emacs through eglot
;; Emacs 29 and later have eglot built in; on Emacs 28 install it first (M-x package-install RET
;; eglot, or Debian's elpa-eglot). Load this file from your init file:
;;   (load "/path/to/slopguard-eglot.el")
;; It starts `slopguard lsp' only for manifests (package.json, requirements*.txt, pyproject.toml,
;; Pipfile), so your usual server for JavaScript, JSON and TOML files stays in charge elsewhere.

(require 'eglot)

(define-derived-mode slopguard-requirements-mode text-mode "pip-req"
  "Major mode for pip requirements files, so eglot can start slopguard for them.")
(add-to-list 'auto-mode-alist '("/requirements[^/]*\\.txt\\'" . slopguard-requirements-mode))

(defconst slopguard-manifest-regexp
  "/\\(?:package\\.json\\|pyproject\\.toml\\|Pipfile\\|requirements[^/]*\\.txt\\)\\'"
  "Files slopguard's language server checks.")

(defun slopguard-eglot-contact (&optional _interactive)
  "The server eglot starts for a manifest: `slopguard lsp'."
  (list "slopguard" "lsp"))

(defun slopguard-eglot-maybe ()
  "Start (or join) slopguard's language server when the buffer visits a manifest."
  (when (and buffer-file-name (string-match-p slopguard-manifest-regexp buffer-file-name))
    (setq-local eglot-server-programs
                (cons (cons major-mode #'slopguard-eglot-contact) eglot-server-programs))
    (eglot-ensure)))

(add-hook 'find-file-hook #'slopguard-eglot-maybe)

(provide 'slopguard-eglot)
;;; slopguard-eglot.el ends here
