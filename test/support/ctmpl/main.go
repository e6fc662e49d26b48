// Command ctmpl renders a consul-template file the way consul-template does, with Go's own
// text/template: `secret PATH` returns {Data: {data: <the KV v2 secret>}} from a JSON file of
// secrets (path -> key -> value), toJSON is consul-template's (json.Marshal), and a missing key
// is an error, as with error_on_missing_key = true. Exit 2: the template does not parse; 1: it
// does not render.
//
// Usage: ctmpl TEMPLATE SECRETS.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"
)

func main() {
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var secrets map[string]map[string]interface{}
	if err := json.Unmarshal(raw, &secrets); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
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
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := tmpl.Execute(os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
