#!/usr/bin/python3
"""A MongoDB wire-protocol server for tests: mockupdb speaks the protocol, mongomock runs the commands.

    /usr/bin/python3 test/support/mongo-bridge.py --port 0
    -> prints "mongo-bridge ready on 127.0.0.1:PORT" once it accepts connections

Needs the Debian packages python3-mockupdb and python3-mongomock. It reports itself as a
standalone, writable MongoDB 6.0 (connect with ?directConnection=true). It is a reimplementation,
not a server: see docs/testing-mongodb.md for what it does not prove.
"""
import argparse
import datetime
import itertools
import signal
import sys
import threading
import traceback

import mockupdb
import mongomock
from bson.int64 import Int64
from mongomock import filtering
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure

IGNORED = {'$db', 'lsid', 'txnNumber', 'writeConcern', 'readConcern', 'maxTimeMS', '$readPreference', '$clusterTime',
           'comment', 'bypassDocumentValidation', 'apiVersion', 'apiStrict', 'apiDeprecationErrors'}
NAMESPACE_NOT_FOUND, COMMAND_NOT_FOUND, ILLEGAL_OPERATION, CURSOR_NOT_FOUND, NOT_IMPLEMENTED = 26, 59, 20, 43, 238


class CommandError(Exception):
    def __init__(self, code, message, code_name=''):
        super().__init__(message)
        self.code, self.code_name = code, code_name


class Bridge:
    def __init__(self):
        self.client = mongomock.MongoClient()
        self.cursors = {}  # id -> (namespace, remaining documents)
        self.cursor_ids = itertools.count(1)
        self.connection_ids = itertools.count(1)

    # --- protocol -------------------------------------------------------------------------------
    def handle(self, request):
        """mockupdb autoresponder: every request is answered here (mockupdb serialises handlers)."""
        try:
            if isinstance(request, mockupdb.OpMsg) or isinstance(request, mockupdb.Command):
                reply = self.execute(request.command_name, request.doc, request.namespace.split('.')[0])
            else:
                raise CommandError(ILLEGAL_OPERATION, 'legacy opcodes are not supported: %r' % (request,))
        except CommandError as error:
            reply = {'ok': 0, 'errmsg': str(error), 'code': error.code, 'codeName': error.code_name}
        except OperationFailure as error:
            reply = {'ok': 0, 'errmsg': str(error), 'code': error.code or 2, 'codeName': 'OperationFailure'}
        except NotImplementedError as error:
            reply = {'ok': 0, 'errmsg': 'mongomock cannot do this: %s' % (error,), 'code': NOT_IMPLEMENTED, 'codeName': 'NotImplemented'}
        except Exception as error:  # a bug in the bridge must still answer, never hang the client
            traceback.print_exc()
            reply = {'ok': 0, 'errmsg': '%s: %s' % (type(error).__name__, error), 'code': 8, 'codeName': 'UnknownError'}
        if isinstance(request, mockupdb.OpMsg) and request.flags & mockupdb.OP_MSG_FLAGS['moreToCome']:
            return True  # unacknowledged write (w: 0): no reply
        request.replies(reply)
        return True

    def execute(self, name, cmd, db_name):
        if name is None:
            raise CommandError(COMMAND_NOT_FOUND, 'empty command')
        if 'startTransaction' in cmd or 'autocommit' in cmd or name in ('commitTransaction', 'abortTransaction'):
            raise CommandError(ILLEGAL_OPERATION, 'the bridge does not support transactions', 'IllegalOperation')
        method = getattr(self, 'cmd_' + name.lower(), None)
        if method is None:
            raise CommandError(COMMAND_NOT_FOUND, "no such command: '%s'" % (name,), 'CommandNotFound')
        args = {k: v for k, v in cmd.items() if k not in IGNORED}
        return method(self.client[db_name], args)

    # --- handshake and administration -------------------------------------------------------------
    def cmd_hello(self, db, cmd):
        return {'ismaster': True, 'isWritablePrimary': True, 'helloOk': True, 'maxBsonObjectSize': 16 * 1024 * 1024,
                'maxMessageSizeBytes': 48000000, 'maxWriteBatchSize': 100000, 'localTime': datetime.datetime.utcnow(),
                'logicalSessionTimeoutMinutes': 30, 'connectionId': next(self.connection_ids),
                'minWireVersion': 0, 'maxWireVersion': 17, 'readOnly': False, 'ok': 1}

    cmd_ismaster = cmd_hello

    def cmd_ping(self, db, cmd):
        return {'ok': 1}

    def cmd_buildinfo(self, db, cmd):
        return {'version': '6.0.0', 'versionArray': [6, 0, 0, 0], 'gitVersion': 'mongo-bridge', 'bits': 64,
                'maxBsonObjectSize': 16 * 1024 * 1024, 'ok': 1}

    def cmd_getparameter(self, db, cmd):
        return {'featureCompatibilityVersion': {'version': '6.0'}, 'ok': 1}

    def cmd_endsessions(self, db, cmd):
        return {'ok': 1}

    def cmd_listdatabases(self, db, cmd):
        names = self.client.list_database_names()
        return {'databases': [{'name': n, 'sizeOnDisk': 0, 'empty': False} for n in names], 'totalSize': 0, 'ok': 1}

    def cmd_dropdatabase(self, db, cmd):
        self.client.drop_database(db.name)
        return {'dropped': db.name, 'ok': 1}

    # --- collections and indexes -----------------------------------------------------------------
    def existing(self, db, name):
        if name not in db.list_collection_names():
            raise CommandError(NAMESPACE_NOT_FOUND, 'ns not found: %s.%s' % (db.name, name), 'NamespaceNotFound')
        return db[name]

    def cmd_create(self, db, cmd):
        db.create_collection(cmd['create'])
        return {'ok': 1}

    def cmd_drop(self, db, cmd):
        # MongoDB 6.0 answers "ns not found" for a missing collection (7.0 answers ok); the driver handles both.
        self.existing(db, cmd['drop']).drop()
        return {'ns': '%s.%s' % (db.name, cmd['drop']), 'nIndexesWas': 1, 'ok': 1}

    def cmd_listcollections(self, db, cmd):
        infos = [{'name': n, 'type': 'collection', 'options': {}, 'info': {'readOnly': False}} for n in db.list_collection_names()]
        infos = [i for i in infos if filtering.filter_applies(cmd.get('filter') or {}, i)]
        return self.cursor_reply('%s.$cmd.listCollections' % db.name, infos, cmd.get('cursor'))

    def cmd_createindexes(self, db, cmd):
        collection = db[cmd['createIndexes']]
        created = cmd['createIndexes'] not in db.list_collection_names()
        before = len(collection.index_information()) if not created else 1
        for spec in cmd['indexes']:
            options = {k: v for k, v in spec.items() if k in ('name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds')}
            collection.create_index(list(spec['key'].items()), **options)
        return {'createdCollectionAutomatically': created, 'numIndexesBefore': before,
                'numIndexesAfter': len(collection.index_information()), 'ok': 1}

    def cmd_listindexes(self, db, cmd):
        collection = self.existing(db, cmd['listIndexes'])
        indexes = [dict(info, key=dict(info['key']), name=name, v=2) for name, info in collection.index_information().items()]
        return self.cursor_reply('%s.%s' % (db.name, collection.name), indexes, cmd.get('cursor'))

    def cmd_dropindexes(self, db, cmd):
        collection = self.existing(db, cmd['dropIndexes'])
        names = cmd['index'] if isinstance(cmd['index'], list) else [cmd['index']]
        for name in names:
            if name == '*':
                collection.drop_indexes()
            else:
                collection.drop_index(name if isinstance(name, str) else list(name.items()))
        return {'nIndexesWas': 1, 'ok': 1}

    # --- reads -------------------------------------------------------------------------------------
    def cursor_reply(self, namespace, documents, cursor_options, single_batch=False):
        batch_size = (cursor_options or {}).get('batchSize') or len(documents)
        first, rest = documents[:batch_size], documents[batch_size:]
        cursor_id = 0
        if rest and not single_batch:
            cursor_id = next(self.cursor_ids)
            self.cursors[cursor_id] = (namespace, rest)
        return {'cursor': {'id': Int64(cursor_id), 'ns': namespace, 'firstBatch': first}, 'ok': 1}

    def cmd_find(self, db, cmd):
        sort = list(cmd['sort'].items()) if cmd.get('sort') else None
        limit = abs(cmd.get('limit') or 0)
        found = db[cmd['find']].find(cmd.get('filter') or {}, cmd.get('projection'), skip=cmd.get('skip') or 0, limit=limit, sort=sort)
        options = {'batchSize': cmd['batchSize']} if cmd.get('batchSize') else None
        return self.cursor_reply('%s.%s' % (db.name, cmd['find']), list(found), options, cmd.get('singleBatch', False))

    def cmd_getmore(self, db, cmd):
        cursor_id = int(cmd['getMore'])
        if cursor_id not in self.cursors:
            raise CommandError(CURSOR_NOT_FOUND, 'cursor id %d not found' % cursor_id, 'CursorNotFound')
        namespace, documents = self.cursors.pop(cursor_id)
        batch_size = cmd.get('batchSize') or len(documents)
        batch, rest = documents[:batch_size], documents[batch_size:]
        if rest:
            self.cursors[cursor_id] = (namespace, rest)
        return {'cursor': {'id': Int64(cursor_id if rest else 0), 'ns': namespace, 'nextBatch': batch}, 'ok': 1}

    def cmd_killcursors(self, db, cmd):
        ids = [int(i) for i in cmd.get('cursors', [])]
        for cursor_id in ids:
            self.cursors.pop(cursor_id, None)
        return {'cursorsKilled': [Int64(i) for i in ids], 'cursorsNotFound': [], 'cursorsAlive': [], 'cursorsUnknown': [], 'ok': 1}

    def cmd_count(self, db, cmd):
        options = {k: cmd[k] for k in ('skip', 'limit') if cmd.get(k)}
        return {'n': db[cmd['count']].count_documents(cmd.get('query') or {}, **options), 'ok': 1}

    def cmd_aggregate(self, db, cmd):
        if cmd['aggregate'] == 1:
            raise CommandError(NOT_IMPLEMENTED, 'database-level aggregate is not supported', 'NotImplemented')
        results = list(db[cmd['aggregate']].aggregate(cmd['pipeline']))
        return self.cursor_reply('%s.%s' % (db.name, cmd['aggregate']), results, cmd.get('cursor'))

    # --- writes: per-statement errors go in writeErrors, as the server does ------------------------
    def write(self, statements, ordered, run):
        errors = []
        for index, statement in enumerate(statements):
            try:
                run(index, statement)
            except (DuplicateKeyError, OperationFailure) as error:
                errors.append({'index': index, 'code': error.code or 2, 'errmsg': str(error)})
                if ordered:
                    break
        return {'writeErrors': errors} if errors else {}

    def cmd_insert(self, db, cmd):
        collection, n = db[cmd['insert']], [0]

        def run(index, document):
            collection.insert_one(document)
            n[0] += 1
        errors = self.write(cmd['documents'], cmd.get('ordered', True), run)
        return dict(errors, n=n[0], ok=1)

    def cmd_update(self, db, cmd):
        collection, totals, upserted = db[cmd['update']], {'n': 0, 'nModified': 0}, []

        def run(index, statement):
            query, update, upsert = statement.get('q') or {}, statement['u'], statement.get('upsert', False)
            if isinstance(update, list):
                raise CommandError(NOT_IMPLEMENTED, 'pipeline updates are not supported')
            if update and all(key.startswith('$') for key in update):
                method = collection.update_many if statement.get('multi') else collection.update_one
                extra = {'array_filters': statement['arrayFilters']} if statement.get('arrayFilters') else {}
                result = method(query, update, upsert=upsert, **extra)
            else:
                result = collection.replace_one(query, update, upsert=upsert)
            totals['n'] += result.matched_count + (1 if result.upserted_id is not None else 0)
            totals['nModified'] += result.modified_count
            if result.upserted_id is not None:
                upserted.append({'index': index, '_id': result.upserted_id})
        errors = self.write(cmd['updates'], cmd.get('ordered', True), run)
        return dict(errors, ok=1, **totals, **({'upserted': upserted} if upserted else {}))

    def cmd_delete(self, db, cmd):
        collection, n = db[cmd['delete']], [0]

        def run(index, statement):
            method = collection.delete_one if statement.get('limit') == 1 else collection.delete_many
            n[0] += method(statement.get('q') or {}).deleted_count
        errors = self.write(cmd['deletes'], cmd.get('ordered', True), run)
        return dict(errors, n=n[0], ok=1)

    def cmd_findandmodify(self, db, cmd):
        collection = db[cmd['findAndModify']]
        query, sort = cmd.get('query') or {}, list(cmd['sort'].items()) if cmd.get('sort') else None
        projection, update = cmd.get('fields'), cmd.get('update')
        existing = collection.find_one(query, sort=sort)
        if cmd.get('remove'):
            value = collection.find_one_and_delete(query, projection=projection, sort=sort)
            return {'lastErrorObject': {'n': 1 if value else 0}, 'value': value, 'ok': 1}
        if isinstance(update, list):
            raise CommandError(NOT_IMPLEMENTED, 'pipeline updates are not supported')
        returned = ReturnDocument.AFTER if cmd.get('new') else ReturnDocument.BEFORE
        method = collection.find_one_and_update if update and all(k.startswith('$') for k in update) else collection.find_one_and_replace
        value = method(query, update, projection=projection, sort=sort, upsert=cmd.get('upsert', False), return_document=returned)
        last = {'n': 1 if existing or cmd.get('upsert') else 0, 'updatedExisting': existing is not None}
        if existing is None and cmd.get('upsert'):
            after = value if cmd.get('new') else collection.find_one(query, sort=sort)
            last['upserted'] = after['_id'] if after else None
        return {'lastErrorObject': last, 'value': value, 'ok': 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=27017, help='0 picks a free port')
    parser.add_argument('--verbose', action='store_true', help='log every request')
    args = parser.parse_args()
    bridge = Bridge()
    server = mockupdb.MockupDB(port=args.port or None, verbose=args.verbose, request_timeout=int(1e6))
    server.autoresponds(bridge.handle)
    port = server.run()
    print('mongo-bridge ready on 127.0.0.1:%d' % port, flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
