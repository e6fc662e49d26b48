// Command ctmpl renders Go text/template files the way two operators do, with Go's own
// text/template (the engine both use):
//
//   - consul-template (Vault Agent): `secret PATH` returns {Data: {data: <the KV v2 secret>}} from a
//     JSON file of secrets (path -> key -> value), toJSON is consul-template's (json.Marshal), and a
//     missing key is an error, as with error_on_missing_key = true.
//   - -eso: an External Secrets Operator template (engineVersion v2): the dot is the map of the
//     ExternalSecret's secretKeys to their remote values (strings), the template is named after the
//     target key, and missingkey stays Go's default, as in ESO's pkg/template/v2. ESO adds sprig's
//     functions, which the standard library lacks: a template using one fails to parse here (exit 2),
//     so the generated templates keep to plain field access.
//
// Exit 2: the template or the data does not parse; 1: it does not render.
//
// Usage: ctmpl TEMPLATE SECRETS.json
//
//	ctmpl -eso KEY TEMPLATE DATA.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"
)

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(code)
}

func readJSON(file string, into interface{}) {
	raw, err := os.ReadFile(file)
	if err != nil {
		fail(2, err)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		fail(2, err)
	}
}

func execute(tmpl *template.Template, err error, data interface{}) {
	if err != nil {
		fail(2, err)
	}
	if err := tmpl.Execute(os.Stdout, data); err != nil {
		fail(1, err)
	}
}

func consulTemplate(file, secretsFile string) {
	text, err := os.ReadFile(file)
	if err != nil {
		fail(2, err)
	}
	var secrets map[string]map[string]interface{}
	readJSON(secretsFile, &secrets)
	funcs := template.FuncMap{
		"secret": func(path string) (map[string]interface{}, error) {
			data, ok := secrets[path]
			if !ok {
				return nil, fmt.Errorf("no secret at %s", path)
			}
			return map[string]interface{}{"Data": map[string]interface{}{"data": data}}, nil
		},
		"toJSON": func(value interface{}) (string, error) {
			result, err := json.Marshal(value)
			return string(bytes.TrimSpace(result)), err
		},
	}
	tmpl, err := template.New("ctmpl").Option("missingkey=error").Funcs(funcs).Parse(string(text))
	execute(tmpl, err, nil)
}

func externalSecretsTemplate(key, file, dataFile string) {
	text, err := os.ReadFile(file)
	if err != nil {
		fail(2, err)
	}
	var data map[string]string
	readJSON(dataFile, &data)
	tmpl, err := template.New(key).Parse(string(text))
	execute(tmpl, err, data)
}

func main() {
	switch {
	case len(os.Args) == 5 && os.Args[1] == "-eso":
		externalSecretsTemplate(os.Args[2], os.Args[3], os.Args[4])
	case len(os.Args) == 3:
		consulTemplate(os.Args[1], os.Args[2])
	default:
		fail(2, fmt.Errorf("usage: ctmpl TEMPLATE SECRETS.json | ctmpl -eso KEY TEMPLATE DATA.json"))
	}
}
