-- Documents from templates (issue 17): an administrator's own template per document kind and language (none:
-- the built-in one), and the company's images documents show (logo, stamp, signatures).
CREATE TABLE document_templates (
    kind        TEXT    NOT NULL,
    lang        TEXT    NOT NULL CHECK (lang IN ('uz', 'ru', 'en')),
    body        TEXT    NOT NULL,
    version     BIGINT  NOT NULL DEFAULT 1,
    updated_by  BIGINT  REFERENCES users (id),
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (kind, lang)
);

CREATE TABLE company_images (
    name        TEXT    PRIMARY KEY,
    content_type TEXT   NOT NULL,
    data        BLOB    NOT NULL,
    updated_at  BIGINT  NOT NULL
);
