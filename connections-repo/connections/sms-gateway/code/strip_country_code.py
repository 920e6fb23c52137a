# Strip "+86" (and spaces or dashes) from every recipient's phone number:
# the gateway only takes domestic numbers.
import re

def main(input):
    phones = []
    for recipient in input["input"]["recipients"]:
        phone = re.sub(r"^\+86", "", recipient["phone"].strip())
        phones.append(re.sub(r"[\s-]", "", phone))
    return {"phones": phones}
