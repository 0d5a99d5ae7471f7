no {action} here } {{ "{{" }}
